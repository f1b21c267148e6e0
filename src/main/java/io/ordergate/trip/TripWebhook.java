package io.ordergate.trip;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Posts each trip to {@code ORDERGATE_TRIP_WEBHOOK_URL}; fire and forget, failures logged. */
final class TripWebhook {
  private static final Logger LOG = LoggerFactory.getLogger(TripWebhook.class);
  private static final long TIMEOUT_MILLIS = 5_000;

  private final HttpClientAgent client;
  private final URI uri;

  TripWebhook(Vertx vertx, URI uri) {
    this.uri = uri;
    this.client =
        vertx.httpClientBuilder().with(new HttpClientOptions().setConnectTimeout(3_000)).build();
  }

  void post(JsonObject body) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(uri.toString())
            .setIdleTimeout(TIMEOUT_MILLIS)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    client
        .request(options)
        .compose(req -> req.send(body.toBuffer()))
        .compose(
            resp ->
                resp.end()
                    .compose(
                        v ->
                            resp.statusCode() / 100 == 2
                                ? Future.succeededFuture()
                                : Future.failedFuture("answered " + resp.statusCode())))
        .onFailure(
            e ->
                LOG.warn(
                    "Trip webhook {}://{} failed: {}",
                    uri.getScheme(),
                    uri.getHost(),
                    e.getMessage()));
  }

  Future<Void> close() {
    return client.close();
  }
}
