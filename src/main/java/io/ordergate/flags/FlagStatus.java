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
}
