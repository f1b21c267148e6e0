package io.ordergate.cleanup;

import io.ordergate.config.CancelRequest;
import io.ordergate.forward.BackendAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;

/**
 * Sends cancel requests to the order system on a client of its own: a clean-up must never trip the
 * traffic path's circuit breaker or take its bulkhead slots.
 */
public final class OrderCanceller {
  private final HttpClientAgent client;
  private final CancelRequest request;
  private final BackendAddress backend;
  private final long timeoutMillis;

  public OrderCanceller(
      Vertx vertx,
      URI backend,
      CancelRequest request,
      Duration connectTimeout,
      Duration timeout,
      int maxConnections) {
    this.request = request;
    this.backend = BackendAddress.of(backend);
    this.timeoutMillis = timeout.toMillis();
    this.client =
        vertx
            .httpClientBuilder()
            .with(
                new HttpClientOptions()
                    .setKeepAlive(true)
                    .setConnectTimeout((int) connectTimeout.toMillis()))
            .with(new PoolOptions().setHttp1MaxSize(maxConnections))
            .build();
  }

  /** The request target for one order: the backend URL's path, then the cancel path. */
  private String target(String orderId) {
    return backend.basePath() + request.path(orderId);
  }

  /** Cancels one order; never fails: no answer becomes an outcome with the reason. */
  public Future<CancelOutcome> cancel(String source, String orderId, String requestId) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(request.method())
            .setHost(backend.host())
            .setPort(backend.port())
            .setSsl(backend.ssl())
            .setURI(target(orderId))
            .setConnectTimeout(timeoutMillis) // includes the wait for a pooled connection
            .setIdleTimeout(timeoutMillis)
            .putHeader("X-Order-Source", source)
            .putHeader("X-Request-Id", requestId)
            .putHeader(HttpHeaders.CONTENT_LENGTH, "0");
    try {
      return client
          .request(options)
          .compose(req -> req.send())
          .compose(resp -> resp.end().map(v -> CancelOutcome.answered(resp.statusCode())))
          .recover(e -> Future.succeededFuture(CancelOutcome.noAnswer(describe(e))));
    } catch (RuntimeException e) {
      // A client closed under us (the process is stopping) throws instead of failing the future.
      return Future.succeededFuture(CancelOutcome.noAnswer(describe(e)));
    }
  }

  private String describe(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof java.util.concurrent.TimeoutException
        || e.getClass().getSimpleName().contains("Timeout")) {
      return "no answer within " + timeoutMillis + " ms";
    }
    if (e instanceof java.net.ConnectException
        || e.getClass().getSimpleName().contains("Connect")) {
      return "cannot connect to " + backend.host() + ":" + backend.port();
    }
    return message;
  }

  public Future<Void> close() {
    return client.close();
  }
}
