package io.ordergate.intervention;

import io.vertx.core.json.JsonObject;

/**
 * What a webhook call says about the Unleash change behind it: the addon's default body is the
 * Unleash event ({@code id}, {@code type}, {@code featureName}, {@code environment}, {@code
 * createdBy}, …; Unleash 8's {@code FeatureEnvironmentEvent} for a flag switched on or off in one
 * environment). A custom body template may leave any of it out; the call still refreshes.
 *
 * @param id the event's id, which is also the Unleash revision that includes it; 0 if not given
 */
record UnleashEvent(long id, String type, String flag, String environment, String by) {
  static final UnleashEvent UNNAMED = new UnleashEvent(0, null, null, null, null);
  static final String ENABLED = "feature-environment-enabled";
  static final String DISABLED = "feature-environment-disabled";

  static UnleashEvent parse(String body) {
    if (body == null || body.isBlank()) {
      return UNNAMED;
    }
    try {
      return of(new JsonObject(body));
    } catch (RuntimeException e) {
      return UNNAMED; // not JSON
    }
  }

  static UnleashEvent of(JsonObject e) {
    return new UnleashEvent(
        e.getValue("id") instanceof Number n ? n.longValue() : 0,
        text(e.getValue("type")),
        text(e.getValue("featureName")),
        text(e.getValue("environment")),
        text(e.getValue("createdBy")));
  }

  /** The fields {@link #of} reads, for passing the event on to the other replicas. */
  JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("type", type)
        .put("featureName", flag)
        .put("environment", environment)
        .put("createdBy", by);
  }

  /**
   * True when the event switched a flag on or off in one environment: its effect on a decision is
   * the flag's own strategies and variants, on or off, and needs no fetch to know. Any other change
   * (strategies, variants, segments) is only known from a fetch.
   */
  boolean switchesFlag() {
    return id > 0
        && flag != null
        && environment != null
        && (ENABLED.equals(type) || DISABLED.equals(type));
  }

  boolean enabled() {
    return ENABLED.equals(type);
  }

  private static String text(Object o) {
    return o instanceof String s && !s.isBlank() ? s : null;
  }

  /** For the log, e.g. "event #42 feature-environment-disabled of order-source.mobile by admin". */
  String describe() {
    if (id <= 0 && type == null) {
      return "no Unleash event named in the body";
    }
    return "event #"
        + id
        + (type == null ? "" : " " + type)
        + (flag == null ? "" : " of " + flag)
        + (by == null ? "" : " by " + by);
  }
}
