package io.ordergate.intervention;

import io.vertx.core.json.JsonObject;

/**
 * What a webhook call says about the Unleash change behind it: the addon's default body is the
 * Unleash event ({@code id}, {@code type}, {@code featureName}, {@code createdBy}, …). A custom
 * body template may leave any of it out; the call still refreshes.
 *
 * @param id the event's id, which is also the Unleash revision that includes it; 0 if not given
 */
record UnleashEvent(long id, String type, String flag, String by) {
  static final UnleashEvent UNNAMED = new UnleashEvent(0, null, null, null);

  static UnleashEvent parse(String body) {
    if (body == null || body.isBlank()) {
      return UNNAMED;
    }
    try {
      JsonObject e = new JsonObject(body);
      return new UnleashEvent(
          e.getValue("id") instanceof Number n ? n.longValue() : 0,
          text(e.getValue("type")),
          text(e.getValue("featureName")),
          text(e.getValue("createdBy")));
    } catch (RuntimeException e) {
      return UNNAMED; // not JSON
    }
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
