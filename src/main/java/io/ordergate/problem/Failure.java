package io.ordergate.problem;

/**
 * Every way the gateway itself refuses or fails a request, with its HTTP mapping. This enum is the
 * one place where a failure becomes a status code; {@link #slug()} doubles as the decision label in
 * metrics and the audit table.
 */
public enum Failure {
  MALFORMED_REQUEST(400, "malformed-request", "Malformed HTTP request"),
  BAD_IDEMPOTENCY_KEY(400, "bad-idempotency-key", "Idempotency-Key not usable"),
  BAD_PATH(400, "bad-path", "Path not allowed"),
  BAD_OPS_REQUEST(400, "bad-ops-request", "Ops request not valid"),
  AMBIGUOUS_REQUEST(
      400, "ambiguous-request", "Identity, environment or idempotency key given more than once"),
  METHOD_OVERRIDE(400, "method-override", "Method overrides are not accepted"),
  BODY_ON_READ(400, "body-on-read", "A read cannot carry a body"),
  MISSING_CREDENTIAL(401, "missing-credential", "No API key"),
  UNKNOWN_CREDENTIAL(401, "unknown-credential", "Unknown API key"),
  NOT_FOUND(404, "not-found", "No such route"),
  QUARANTINE_JOB_NOT_FOUND(404, "quarantine-job-not-found", "No such release job on this gateway"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  REQUEST_TIMEOUT(408, "request-timeout", "Request not received in time"),
  BODY_TOO_LARGE(413, "body-too-large", "Request body too large"),
  URI_TOO_LONG(414, "uri-too-long", "Request line too long"),
  QUARANTINE_RELEASE_RUNNING(
      409, "quarantine-release-running", "A release of this source is already running"),
  IDEMPOTENCY_IN_FLIGHT(
      409, "idempotency-in-flight", "A request with this Idempotency-Key is still being processed"),
  IDEMPOTENCY_KEY_REUSED(
      422, "idempotency-key-reused", "Idempotency-Key reused with a different request"),
  WRONG_ENVIRONMENT(421, "wrong-environment", "Request sent to the wrong environment"),
  SOURCE_THROTTLED(429, "source-throttled", "Order source over its rate limit"),
  SOURCE_OVER_HOLD_RATE(
      429, "source-over-hold-rate", "Held order source over the rate of orders stored for it"),
  AUTH_FAILURES_LIMITED(
      429, "auth-failures-limited", "Too many failed authentications from this address"),
  HEADERS_TOO_LARGE(431, "headers-too-large", "Request headers too large"),
  SOURCE_DISABLED(503, "source-disabled", "Order source disabled"),
  QUARANTINE_UNAVAILABLE(503, "quarantine-unavailable", "Order could not be stored in quarantine"),
  IDEMPOTENCY_UNAVAILABLE(503, "idempotency-unavailable", "Idempotency-Key could not be checked"),
  BODY_BUFFER_FULL(503, "body-buffer-full", "Too many request bodies in progress on this gateway"),
  AUDIT_UNAVAILABLE(
      503, "audit-unavailable", "The write could not be recorded, so it was not sent"),
  BREAKER_OPEN(503, "backend-circuit-open", "Order system temporarily cut off"),
  BULKHEAD_FULL(503, "backend-saturated", "Too many requests in flight to the order system"),
  SOURCE_BREAKER_OPEN(
      503, "source-breaker-open", "Order source temporarily cut off after repeated failures"),
  SOURCE_OVER_SHARE(
      503, "source-over-share", "Order source over its share of the order system's capacity"),
  BACKEND_UNREACHABLE(502, "backend-unreachable", "Order system unreachable"),
  RESPONSE_TOO_LARGE(502, "response-too-large", "Order system answer too large"),
  BACKEND_TIMEOUT(504, "backend-timeout", "Order system did not answer in time"),
  HTTP_VERSION_NOT_SUPPORTED(505, "http-version-not-supported", "HTTP version not supported"),
  CLIENT_CLOSED(
      499, "client-closed", "Client closed the connection before the request was complete"),
  OPS_UNAUTHORIZED(401, "ops-unauthorized", "Missing or wrong ops token"),
  WEBHOOK_UNAUTHORIZED(401, "webhook-unauthorized", "Missing or wrong webhook token"),
  REPLICAS_UNAVAILABLE(503, "replicas-unavailable", "Replica registry could not be read"),
  CLEANUP_BAD_REQUEST(400, "bad-cleanup-request", "Clean-up request not usable"),
  CLEANUP_NOT_FOUND(404, "cleanup-not-found", "No such clean-up run"),
  CLEANUP_RUNNING(409, "cleanup-running", "A clean-up of this source is already running"),
  CLEANUP_NOT_RUNNING(409, "cleanup-not-running", "The clean-up run is not running"),
  INTERNAL(500, "internal-error", "Internal gateway error");

  private final int status;
  private final String slug;
  private final String title;

  Failure(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  /** RFC 9457 {@code type}: a relative URI reference, resolved against the gateway's own URL. */
  public String type() {
    return "/problems/" + slug;
  }

  /**
   * Failures that clear up by themselves: clients get a {@code Retry-After}. A running clean-up may
   * take hours: no hint.
   */
  public boolean retryable() {
    return status == 503 || status == 429 || status == 409 && this == IDEMPOTENCY_IN_FLIGHT;
  }
}
