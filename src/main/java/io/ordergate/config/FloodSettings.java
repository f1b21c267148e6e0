package io.ordergate.config;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Flood defence settings.
 *
 * @param tripMode {@code ORDERGATE_TRIP_MODE}: {@link TripMode#ENFORCE} (default) applies what an
 *     automatic trip decides; {@link TripMode#SHADOW} only counts and audits what it would have
 *     done
 * @param tripAction {@code ORDERGATE_TRIP_ACTION}: what a trip does to the source's writes (hold by
 *     default)
 * @param tripWebhook {@code ORDERGATE_TRIP_WEBHOOK_URL}: where each trip is posted as JSON with a
 *     chat-compatible {@code text} field, if anywhere
 */
public record FloodSettings(TripMode tripMode, TripAction tripAction, Optional<URI> tripWebhook) {
  public static final String TRIP_MODE = "ORDERGATE_TRIP_MODE";
  public static final String TRIP_ACTION = "ORDERGATE_TRIP_ACTION";
  public static final String TRIP_WEBHOOK_URL = "ORDERGATE_TRIP_WEBHOOK_URL";

  /** Whether automatic trips act or only rehearse. */
  public enum TripMode {
    ENFORCE,
    SHADOW
  }

  /** What a trip does to the source's writes. */
  public enum TripAction {
    /**
     * Stored in quarantine and answered 202 (nothing is lost, nothing reaches the order system).
     */
    HOLD,
    /** Limited to the source's trip rate per replica. */
    THROTTLE,
    /** Refused with 503. */
    KILL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public FloodSettings {
    if (tripMode == null) {
      throw new ConfigException(TRIP_MODE, "must be shadow or enforce");
    }
    if (tripAction == null) {
      throw new ConfigException(TRIP_ACTION, "must be hold, throttle or kill");
    }
    tripWebhook = tripWebhook == null ? Optional.empty() : tripWebhook;
  }

  public FloodSettings(TripMode tripMode) {
    this(tripMode, TripAction.HOLD, Optional.empty());
  }

  public static FloodSettings from(Env env) {
    return new FloodSettings(
        TripMode.valueOf(
            env.oneOf(TRIP_MODE, "enforce", Set.of("enforce", "shadow")).toUpperCase(Locale.ROOT)),
        TripAction.valueOf(
            env.oneOf(TRIP_ACTION, "hold", Set.of("hold", "throttle", "kill"))
                .toUpperCase(Locale.ROOT)),
        env.httpUrl(TRIP_WEBHOOK_URL));
  }

  @Override
  public String toString() {
    return "trip="
        + tripMode.name().toLowerCase(Locale.ROOT)
        + "/"
        + tripAction.label()
        + (tripWebhook.isPresent() ? " webhook=on" : "");
  }
}
