package io.ordergate.traffic;

import io.ordergate.forward.BackendReply;
import io.ordergate.forward.ForwardFailure;
import io.ordergate.forward.ForwardRequest;
import io.ordergate.forward.Headers;
import io.ordergate.forward.OrderIds;
import io.ordergate.problem.Failure;
import io.ordergate.problem.GateException;
import io.ordergate.quarantine.HeldOrder;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where an admitted request goes: to the order system, or into quarantine. Either way the result is
 * an answer for the client, or a failure that says whether the order may have been sent ({@link
 * ForwardFailure}).
 */
final class Dispatch {
  /** An answer for the client, with what it means for metrics and the audit. */
  record Delivered(BackendReply reply, String decision, String orderId) {}

  private final Function<ForwardRequest, Future<BackendReply>> backend;
  private final Function<HeldOrder, Future<Long>> quarantine;
  private final Consumer<String> heldBySource;

  /**
   * @param backend sends a request to the order system (Forwarder::forward)
   * @param quarantine stores a held order and returns its id (QuarantineStore::hold)
   * @param heldBySource counts a held order of the source
   */
  Dispatch(
      Function<ForwardRequest, Future<BackendReply>> backend,
      Function<HeldOrder, Future<Long>> quarantine,
      Consumer<String> heldBySource) {
    this.backend = backend;
    this.quarantine = quarantine;
    this.heldBySource = heldBySource;
  }

  /** Fails only with {@link ForwardFailure}. */
  Future<Delivered> forward(ForwardRequest request) {
    return backend
        .apply(request)
        .transform(
            ar ->
                ar.succeeded()
                    ? Future.succeededFuture(
                        new Delivered(ar.result(), Outcome.FORWARDED, OrderIds.from(ar.result())))
                    : Future.failedFuture(ForwardFailure.of(ar.cause())));
  }

  /**
   * Quarantine: 202 only once PostgreSQL has the order; anything else is a 503 the client retries
   * (nothing was sent).
   */
  Future<Delivered> hold(ForwardRequest request, Instant receivedAt) {
    HeldOrder order =
        new HeldOrder(
            request.sourceId(),
            request.requestId(),
            request.method().name(),
            request.pathAndQuery(),
            Headers.forBackend(request),
            request.body() == null ? Buffer.buffer() : request.body(),
            receivedAt);
    return quarantine
        .apply(order)
        .transform(
            ar -> {
              if (ar.failed()) {
                return Future.failedFuture(
                    new GateException(
                        Failure.QUARANTINE_UNAVAILABLE,
                        "the order was not stored, so it is neither held nor forwarded; "
                            + "send it again later ("
                            + ar.cause().getMessage()
                            + ")"));
              }
              heldBySource.accept(request.sourceId());
              MultiMap headers =
                  MultiMap.caseInsensitiveMultiMap()
                      .add(HttpHeaders.CONTENT_TYPE, "application/json");
              Buffer body =
                  new JsonObject()
                      .put("status", "quarantined")
                      .put("quarantineId", ar.result())
                      .put("source", request.sourceId())
                      .put("requestId", request.requestId())
                      .toBuffer();
              return Future.succeededFuture(
                  new Delivered(new BackendReply(202, headers, body), Outcome.QUARANTINED, null));
            });
  }
}
