package io.ordergate.idempotency;

import io.ordergate.problem.Failure;
import io.ordergate.problem.Problems;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request's hold on its key, from the claim to its answer. The answer is stored before it is
 * sent, so a client that retries as soon as it has it gets the replay; the key is given back only
 * when the request provably never left the gateway.
 */
public final class Ticket {
  /** For requests without a key: stores nothing, gives nothing back. */
  public static final Ticket NONE = new Ticket(null, null, null, null);

  private static final Logger LOG = LoggerFactory.getLogger(Ticket.class);

  private final KeyStore store;
  private final String sourceId;
  private final String key;
  private final String requestId;

  Ticket(KeyStore store, String sourceId, String key, String requestId) {
    this.store = store;
    this.sourceId = sourceId;
    this.key = key;
    this.requestId = requestId;
  }

  /** True when the request holds a key, so {@link #failed} needs the problem document. */
  public boolean holdsKey() {
    return key != null;
  }

  /**
   * Stores the answer under the key; completes (never fails) once it is stored or could not be, and
   * only then may the answer be sent.
   */
  public Future<Void> answer(int status, MultiMap headers, Buffer body) {
    if (key == null) {
      return Future.succeededFuture();
    }
    return store
        .complete(sourceId, key, requestId, new StoredResponse(status, headers, body))
        .transform(
            ar -> {
              if (ar.failed() || !ar.result()) {
                LOG.warn(
                    "Response to request {} (source {}, Idempotency-Key {}) not stored for repeats: {}",
                    requestId,
                    sourceId,
                    key,
                    ar.failed() ? ar.cause().getMessage() : "the key was taken over");
              }
              return Future.succeededFuture();
            });
  }

  /**
   * The gateway failed the request. Maybe sent (a time-out, a broken exchange): the order system
   * may have taken the order, so the problem stays under the key; giving it back would let the
   * retry place the order a second time. Not sent: the key is given back and the retry is processed
   * anew. Neither is waited for.
   */
  public void failed(Failure failure, Buffer problem, boolean maybeSent) {
    if (key == null) {
      return;
    }
    Future<?> settled;
    if (maybeSent) {
      MultiMap headers =
          MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE);
      settled =
          store.complete(
              sourceId, key, requestId, new StoredResponse(failure.status(), headers, problem));
    } else {
      settled = store.release(sourceId, key, requestId);
    }
    settled.onFailure(
        e ->
            LOG.warn(
                "Idempotency-Key {} of source {} stays blocked until its lease ends: {}",
                key,
                sourceId,
                e.getMessage()));
  }
}
