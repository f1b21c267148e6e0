package io.ordergate.decision;

/** A flag as evaluated for one source: whether it exists, is on, and which variant applies. */
public record FlagState(boolean exists, boolean enabled, String variant, String payload) {
  public static final FlagState MISSING = new FlagState(false, false, null, null);

  public static FlagState on() {
    return new FlagState(true, true, null, null);
  }

  public static FlagState off() {
    return new FlagState(true, false, null, null);
  }

  /** For operators: "off", "on", "on, variant throttle {...}" or "missing". */
  public String describe() {
    if (!exists) {
      return "missing";
    }
    if (!enabled) {
      return "off";
    }
    return variant == null
        ? "on"
        : "on, variant " + variant + (payload == null || payload.isBlank() ? "" : " " + payload);
  }
}
