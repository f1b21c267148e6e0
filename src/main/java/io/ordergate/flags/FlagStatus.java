package io.ordergate.flags;

import java.time.Duration;
import java.time.Instant;

/**
 * What the gateway knows about its flags right now.
 *
 * @param confirmedAt the last time the flags in force were known to be current: a successful poll,
 *     or the moment they were loaded from a backup or bootstrap file
 */
public record FlagStatus(
    FlagOrigin origin,
    Instant confirmedAt,
    Instant changedAt,
    long failedPolls,
    String lastError,
    boolean reachable) {

  public Duration age(Instant now) {
    return Duration.between(confirmedAt, now);
  }

  /**
   * "server", or e.g. "bootstrap (until the first answer from http://…)": a gateway is ready on its
   * fallback flags, and a log line should not read as if it had given up on Unleash.
   */
  public String describe(java.util.Optional<java.net.URI> server) {
    return (origin != FlagOrigin.BOOTSTRAP && origin != FlagOrigin.BACKUP) || server.isEmpty()
        ? origin.label()
        : origin.label() + " (until the first answer from " + server.get() + ")";
  }
}
