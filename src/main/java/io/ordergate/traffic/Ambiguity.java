package io.ordergate.traffic;

import io.ordergate.fence.EnvironmentFence;
import io.ordergate.forward.Headers;
import io.ordergate.idempotency.RequestFingerprint;
import io.vertx.core.http.HttpHeaders;
import java.util.List;

/**
 * Refuses requests whose identity, environment or idempotency key could be read two ways: a header
 * that decides one of them given more than once, or the credential given in both of its forms. The
 * gateway must never pick one (a proxy in front, or the order system behind, might pick the other).
 */
final class Ambiguity {
  /** Headers that decide who is asking, for which environment, and which order it is. */
  private static final List<String> SINGLE =
      List.of("Authorization", Headers.API_KEY, EnvironmentFence.HEADER, RequestFingerprint.HEADER);

  private Ambiguity() {}

  /** Why the request is ambiguous, or null. */
  static String violation(Inbound req) {
    for (String name : SINGLE) {
      int n = req.headers(name).size();
      if (n > 1) {
        return "the " + name + " header is given " + n + " times; send it once";
      }
    }
    if (req.header(HttpHeaders.AUTHORIZATION) != null && req.header(Headers.API_KEY) != null) {
      return "the credential is given twice (Authorization and "
          + Headers.API_KEY
          + "); send one of them";
    }
    return null;
  }
}
