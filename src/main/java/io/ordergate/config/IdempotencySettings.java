package io.ordergate.config;

import java.time.Duration;

/**
 * How long a finished request is remembered under its {@code Idempotency-Key}, and how long a key
 * whose request never finished (the replica died) blocks repeats before it may be used again.
 */
public record IdempotencySettings(Duration ttl, Duration inFlightLease) {
  public static final String TTL = "ORDERGATE_IDEMPOTENCY_TTL";

  public static IdempotencySettings from(Env env, Duration backendTimeout) {
    Duration ttl =
        env.duration(TTL, Duration.ofHours(24), Duration.ofSeconds(1), Duration.ofDays(30));
    // Long enough that no live request loses its key; short enough that a crash does not block a
    // client for a day.
    // Never cut to a shorter retention: a repeat that took the key over from a request still
    // waiting on the
    // order system would be forwarded as well.
    Duration lease = Duration.ofSeconds(60).plus(backendTimeout.multipliedBy(2));
    return new IdempotencySettings(ttl, lease);
  }
}
