package io.ordergate.problem;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Writes problem documents; the only place a gateway error becomes an HTTP response. */
public final class Problems {
  public static final String CONTENT_TYPE = "application/problem+json";

  // Header names and values as pre-encoded ASCII: written by copy, no per-response re-encoding.
  private static final CharSequence CONTENT_TYPE_VALUE = HttpHeaders.createOptimized(CONTENT_TYPE);
  private static final CharSequence WWW_AUTHENTICATE =
      HttpHeaders.createOptimized("WWW-Authenticate");
  private static final CharSequence BEARER = HttpHeaders.createOptimized("Bearer");
  private static final CharSequence ONE_SECOND = HttpHeaders.createOptimized("1");

  private final CharSequence retryAfter;

  public Problems(int retryAfterSeconds) {
    this.retryAfter = HttpHeaders.createOptimized(Integer.toString(retryAfterSeconds));
  }

  public void send(HttpServerResponse response, Problem problem) {
    if (response.ended() || response.closed()) {
      return;
    }
    send(response, problem.failure(), problem.toBuffer());
  }

  /** Sends an encoded problem document ({@link Problem#encode}) of {@code failure}. */
  public void send(HttpServerResponse response, Failure failure, Buffer document) {
    if (response.ended() || response.closed()) {
      return;
    }
    response
        .setStatusCode(failure.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE_VALUE);
    if (failure.retryable()) {
      // Rate limits and in-flight duplicates clear within a second; outages take longer.
      response.putHeader(
          HttpHeaders.RETRY_AFTER, failure.status() == 503 ? retryAfter : ONE_SECOND);
    }
    if (failure.status() == 401) {
      response.putHeader(WWW_AUTHENTICATE, BEARER);
    }
    response.end(document);
  }
}
