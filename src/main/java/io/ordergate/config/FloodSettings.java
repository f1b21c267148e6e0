package io.ordergate.config;

import java.util.Locale;
import java.util.Set;

/**
 * Flood defence settings.
 *
 * @param tripMode {@code ORDERGATE_TRIP_MODE}: {@link TripMode#ENFORCE} (default) applies what an
 *     automatic trip decides; {@link TripMode#SHADOW} only counts and audits what it would have
 *     done
 */
public record FloodSettings(TripMode tripMode) {
  public static final String TRIP_MODE = "ORDERGATE_TRIP_MODE";

  /** Whether automatic trips act or only rehearse. */
  public enum TripMode {
    ENFORCE,
    SHADOW
  }

  public FloodSettings {
    if (tripMode == null) {
      throw new ConfigException(TRIP_MODE, "must be shadow or enforce");
    }
  }

  public static FloodSettings from(Env env) {
    return new FloodSettings(
        TripMode.valueOf(
            env.oneOf(TRIP_MODE, "enforce", Set.of("enforce", "shadow")).toUpperCase(Locale.ROOT)));
  }
}
