package io.ordergate.traffic;

import io.ordergate.fence.EnvironmentFence;
import io.ordergate.forward.Headers;
import io.ordergate.idempotency.RequestFingerprint;
import io.vertx.core.http.HttpHeaders;

/**
 * Refuses requests whose identity, environment or idempotency key could be read two ways: a header
 * that decides one of them given more than once, or the credential given in both of its forms. The
 * gateway must never pick one (a proxy in front, or the order system behind, might pick the other).
 */
final class Ambiguity {
  // Pre-encoded names: their case-insensitive hash is computed once, not on every lookup.
  static final CharSequence API_KEY = HttpHeaders.createOptimized(Headers.API_KEY);
  static final CharSequence ENVIRONMENT = HttpHeaders.createOptimized(EnvironmentFence.HEADER);

  /** Headers that decide who is asking, for which environment, and which order it is. */
  private static final CharSequence[] SINGLE = {
    HttpHeaders.createOptimized("Authorization"),
    API_KEY,
    ENVIRONMENT,
    HttpHeaders.createOptimized(RequestFingerprint.HEADER)
  };

  private Ambiguity() {}

  /** Why the request is ambiguous, or null. */
  static String violation(Inbound req) {
    for (CharSequence name : SINGLE) {
      int n = req.count(name);
      if (n > 1) {
        return "the " + name + " header is given " + n + " times; send it once";
      }
    }
    if (req.header(HttpHeaders.AUTHORIZATION) != null && req.header(API_KEY) != null) {
      return "the credential is given twice (Authorization and "
          + Headers.API_KEY
          + "); send one of them";
    }
    return null;
  }
}
