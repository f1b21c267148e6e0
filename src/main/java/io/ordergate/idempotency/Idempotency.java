package io.ordergate.idempotency;

import io.ordergate.problem.Failure;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * The {@code Idempotency-Key} protocol of a write: check the key, claim it for this request, and
 * say whether to process the request ({@link Ticket}), replay a stored answer, or refuse (400 bad
 * key, 409 still in flight, 422 reused for another request, 503 store unavailable).
 */
public final class Idempotency {
  private final KeyStore store;

  public Idempotency(KeyStore store) {
    this.store = store;
  }

  /** Never fails: a store failure is a {@link KeyCheck.Refused} too. */
  public Future<KeyCheck> check(
      String sourceId,
      String key,
      String requestId,
      String method,
      String pathAndQuery,
      Buffer body) {
    String bad = RequestFingerprint.violation(key);
    if (bad != null) {
      return Future.succeededFuture(new KeyCheck.Refused(Failure.BAD_IDEMPOTENCY_KEY, bad));
    }
    byte[] fingerprint = RequestFingerprint.of(method, pathAndQuery, body);
    return store
        .claim(sourceId, key, fingerprint, requestId)
        .transform(
            ar ->
                Future.succeededFuture(
                    decide(
                        ar.failed() ? ar.cause() : null, ar.result(), sourceId, key, requestId)));
  }

  private KeyCheck decide(
      Throwable failure, Claim claim, String sourceId, String key, String requestId) {
    if (failure != null) {
      return new KeyCheck.Refused(
          Failure.IDEMPOTENCY_UNAVAILABLE,
          "the Idempotency-Key could not be checked, so the request was not processed; "
              + "send it again later ("
              + failure.getMessage()
              + ")");
    }
    if (claim instanceof Claim.Granted) {
      return new KeyCheck.Proceed(new Ticket(store, sourceId, key, requestId));
    }
    if (claim instanceof Claim.Replay r) {
      return new KeyCheck.Replay(r.response());
    }
    if (claim instanceof Claim.InFlight) {
      return new KeyCheck.Refused(
          Failure.IDEMPOTENCY_IN_FLIGHT,
          "a request with Idempotency-Key '"
              + key
              + "' from this source is still being processed; retry shortly");
    }
    return new KeyCheck.Refused(
        Failure.IDEMPOTENCY_KEY_REUSED,
        "Idempotency-Key '"
            + key
            + "' was already used for a different request (method, path or body differ)");
  }
}
