package io.ordergate.traffic;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.ordergate.decision.DecisionTable;
import io.ordergate.decision.SourceDecision;
import io.ordergate.fence.EnvironmentFence;
import io.ordergate.problem.Failure;
import io.ordergate.source.Source;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Whether a request may pass, decided in memory from its line and headers, in this order: framing,
 * path, unambiguous identity, credential (failures limited per client address), environment fence,
 * method, no method override and no body on a read, declared size, and for writes the source's
 * decision (a held source's orders within its hold rate). The first failing check refuses it. No
 * I/O and no answer is written here, so a refusal costs a few microseconds and each check can be
 * tested on its own.
 */
final class Admission {
  private static final String ORDERS = "/orders";
  private static final int MAX_KEY_LENGTH = 512;

  /** The result of the checks: {@link Admitted} or {@link Refusal}. */
  sealed interface Result permits Admitted, Refusal {}

  /**
   * A request that passed every check.
   *
   * @param write POST, PUT, PATCH or DELETE: placed an order, so its source's decision applied
   * @param hold the decision is quarantine: store the order instead of forwarding it
   */
  record Admitted(Source source, boolean write, boolean hold) implements Result {}

  /** The throttle step: may the source send one more write at this rate? */
  @FunctionalInterface
  interface RateLimits {
    boolean tryAcquire(String sourceId, int ratePerSecond);
  }

  private final Function<String, Source> sourcesByKey;
  private final EnvironmentFence fence;
  private final RateLimits rateLimits;
  private final int maxBodyBytes;
  private final Refusal bodyTooLarge;
  private final Predicate<String> authFailures;
  private final HoldRate holdRate;

  Admission(
      Function<String, Source> sourcesByKey,
      EnvironmentFence fence,
      RateLimits rateLimits,
      int maxBodyBytes) {
    this(sourcesByKey, fence, rateLimits, maxBodyBytes, address -> true);
  }

  /**
   * @param authFailures records a failed authentication from a client address; false when the
   *     address is over its limit ({@link AuthFailures#allow})
   */
  Admission(
      Function<String, Source> sourcesByKey,
      EnvironmentFence fence,
      RateLimits rateLimits,
      int maxBodyBytes,
      Predicate<String> authFailures) {
    this(sourcesByKey, fence, rateLimits, maxBodyBytes, authFailures, HoldRate.NONE);
  }

  /** {@code holdRate}: how many of a held source's orders are stored per second. */
  Admission(
      Function<String, Source> sourcesByKey,
      EnvironmentFence fence,
      RateLimits rateLimits,
      int maxBodyBytes,
      Predicate<String> authFailures,
      HoldRate holdRate) {
    this.holdRate = holdRate;
    this.authFailures = authFailures;
    this.sourcesByKey = sourcesByKey;
    this.fence = fence;
    this.rateLimits = rateLimits;
    this.maxBodyBytes = maxBodyBytes;
    this.bodyTooLarge =
        Refusal.closing(Failure.BODY_TOO_LARGE, bodyTooLargeDetail(maxBodyBytes), null);
  }

  int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** {@code table}: the decisions in force for this request, read once by the caller. */
  Result check(Inbound req, DecisionTable table) {
    String framing = Framing.violation(req);
    if (framing != null) {
      return Refusal.closing(Failure.MALFORMED_REQUEST, framing, null);
    }
    String path = req.path();
    if (!path.equals(ORDERS) && !path.startsWith(ORDERS + "/")) {
      return Refusal.NOT_FOUND;
    }
    String badPath = Paths.violation(path);
    if (badPath != null) {
      return Refusal.of(Failure.BAD_PATH, badPath);
    }
    String ambiguous = Ambiguity.violation(req);
    if (ambiguous != null) {
      return Refusal.of(Failure.AMBIGUOUS_REQUEST, ambiguous);
    }
    String key = credential(req);
    if (key == null) {
      return authFailed(req, Refusal.MISSING_CREDENTIAL);
    }
    Source source = sourcesByKey.apply(key);
    if (source == null) {
      return authFailed(req, Refusal.UNKNOWN_CREDENTIAL);
    }
    String id = source.id();
    String violation = fence.violation(req.header(Ambiguity.ENVIRONMENT), source);
    if (violation != null) {
      return Refusal.of(Failure.WRONG_ENVIRONMENT, violation, id);
    }
    HttpMethod method = req.method();
    boolean write = isWrite(method);
    if (!write && !isRead(method)) {
      return Refusal.of(
          Failure.METHOD_NOT_ALLOWED, "method " + method.name() + " is not proxied", id);
    }
    String override = ReadRules.override(req);
    if (override != null) {
      return Refusal.of(Failure.METHOD_OVERRIDE, override, id);
    }
    String bodyOnRead = ReadRules.bodyOnRead(req);
    if (bodyOnRead != null) {
      return Refusal.closing(Failure.BODY_ON_READ, bodyOnRead, id);
    }
    if (declaredTooLarge(req)) {
      return Refusal.closing(Failure.BODY_TOO_LARGE, bodyTooLarge.detail(), id);
    }
    if (!write) {
      return new Admitted(source, false, false);
    }
    SourceDecision decision = table.forSource(id);
    return switch (decision.verdict()) {
      case REJECT -> Refusal.of(Failure.SOURCE_DISABLED, decision.reason(), id);
      case THROTTLE ->
          rateLimits.tryAcquire(id, decision.ratePerSecond())
              ? new Admitted(source, true, false)
              : Refusal.of(
                  Failure.SOURCE_THROTTLED,
                  decision.reason() + "; this request was over the limit",
                  id);
      case QUARANTINE -> {
        Refusal overCap = holdRate.overCap(id); // before the body: a refusal costs no PostgreSQL
        yield overCap == null ? new Admitted(source, true, true) : overCap;
      }
      case ACCEPT -> new Admitted(source, true, false);
    };
  }

  /** The cap on held orders, for a write that turns into a hold after admission. */
  HoldRate holdRate() {
    return holdRate;
  }

  /**
   * A failed authentication: a 401, unless the client's address has failed too often, then a 429
   * and a closed connection, so that guessing keys costs a new connection each time.
   */
  private Refusal authFailed(Inbound req, Refusal refusal) {
    if (authFailures.test(req.remoteAddress())) {
      return refusal;
    }
    return Refusal.closing(
        Failure.AUTH_FAILURES_LIMITED,
        "too many failed authentications from this address; this one: "
            + refusal.detail()
            + ". Wait before trying again",
        null);
  }

  /** The body turned out larger than the limit while it streamed in. */
  Refusal bodyTooLarge(String source) {
    return Refusal.closing(Failure.BODY_TOO_LARGE, bodyTooLarge.detail(), source);
  }

  /** A request Netty could not parse at all (line or headers too long, broken framing). */
  static Refusal unparsable(Throwable cause) {
    Failure failure =
        cause instanceof StrictRequestDecoder.Refused refused
            ? refused.failure()
            : cause instanceof TooLongHttpLineException
                ? Failure.URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException
                    ? Failure.HEADERS_TOO_LARGE
                    : Failure.MALFORMED_REQUEST;
    return Refusal.closing(
        failure,
        cause == null
            ? "the request could not be parsed"
            : "the request could not be parsed: " + cause.getMessage(),
        null);
  }

  static boolean isWrite(HttpMethod m) {
    return m == HttpMethod.POST
        || m == HttpMethod.PUT
        || m == HttpMethod.PATCH
        || m == HttpMethod.DELETE;
  }

  private static boolean isRead(HttpMethod m) {
    return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS;
  }

  private boolean declaredTooLarge(Inbound req) {
    String length = req.header(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return false;
    }
    try {
      return Long.parseLong(length.trim()) > maxBodyBytes;
    } catch (NumberFormatException e) {
      return false; // Netty already refuses malformed lengths; the streaming check still applies
    }
  }

  private static String credential(Inbound req) {
    String auth = req.header(HttpHeaders.AUTHORIZATION);
    if (auth != null && auth.length() > 7 && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String key = auth.substring(7).trim();
      return key.isEmpty() || key.length() > MAX_KEY_LENGTH ? null : key;
    }
    String key = req.header(Ambiguity.API_KEY);
    return key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH ? null : key.trim();
  }

  private static String bodyTooLargeDetail(int maxBodyBytes) {
    return "the body exceeds the limit of " + maxBodyBytes + " bytes";
  }
}
