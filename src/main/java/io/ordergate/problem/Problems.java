package io.ordergate.problem;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Writes problem documents; the only place a gateway error becomes an HTTP response. */
public final class Problems {
  public static final String CONTENT_TYPE = "application/problem+json";

  private final String retryAfter;

  public Problems(int retryAfterSeconds) {
    this.retryAfter = Integer.toString(retryAfterSeconds);
  }

  public void send(HttpServerResponse response, Problem problem) {
    if (response.ended() || response.closed()) {
      return;
    }
    Failure failure = problem.failure();
    response.setStatusCode(failure.status()).putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE);
    if (failure.retryable()) {
      // Rate limits and in-flight duplicates clear within a second; outages take longer.
      response.putHeader(HttpHeaders.RETRY_AFTER, failure.status() == 503 ? retryAfter : "1");
    }
    if (failure.status() == 401) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response.end(problem.toJson().toBuffer());
  }
}
