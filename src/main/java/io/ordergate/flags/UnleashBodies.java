package io.ordergate.flags;

import io.ordergate.config.AdminSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The request bodies the Unleash 8 Admin API expects, apart from {@link UnleashAdmin} so the calls
 * there read as "send this to that path" and the wire shapes can be checked in one place.
 */
final class UnleashBodies {
  private UnleashBodies() {}

  /** Flag events after which the gateways must refresh (Unleash's webhook addon sends them). */
  static final List<String> FLAG_EVENTS =
      List.of(
          "feature-created",
          "feature-updated",
          "feature-archived",
          "feature-revived",
          "feature-environment-enabled",
          "feature-environment-disabled",
          "feature-strategy-add",
          "feature-strategy-update",
          "feature-strategy-remove",
          "feature-variants-updated");

  /** A webhook addon POSTing every flag event of the configured project and environment. */
  static JsonObject webhookAddon(
      String url, String token, String description, AdminSettings settings) {
    JsonObject body =
        new JsonObject()
            .put("provider", "webhook")
            .put("enabled", true)
            .put("description", description)
            .put(
                "parameters",
                new JsonObject().put("url", url).put("authorization", "Bearer " + token))
            .put("events", new JsonArray(FLAG_EVENTS))
            .put("projects", new JsonArray().add(settings.project()))
            .put("environments", new JsonArray().add(settings.environment()));
    return body;
  }

  /**
   * A JSON patch replacing a strategy's variants with {@code variant} (weight 1000, the whole
   * share), or with none when it is null.
   */
  static String variantPatch(String variant, String jsonPayload) {
    JsonArray variants = new JsonArray();
    if (variant != null) {
      JsonObject v =
          new JsonObject()
              .put("name", variant)
              .put("weight", 1000)
              .put("weightType", "variable")
              .put("stickiness", "default");
      if (jsonPayload != null) {
        v.put("payload", new JsonObject().put("type", "json").put("value", jsonPayload));
      }
      variants.add(v);
    }
    String patch =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("op", "replace")
                    .put("path", "/variants")
                    .put("value", variants))
            .encode();
    return patch;
  }
}
