package io.ordergate.flags;

import io.ordergate.config.AdminSettings;
import io.ordergate.flags.UnleashTransport.Answer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Unleash Admin API calls behind {@code kill}, {@code revive} and {@code status}. Going through
 * Unleash keeps it the single source of truth, and its event log records who flipped what.
 */
public final class UnleashAdmin {
  private final AdminSettings settings;
  // Transport and 404 diagnosis live apart so this class is only the flag operations.
  private final UnleashHttp http;
  private final UnleashNotFound notFound;

  /** Calls Unleash with the JDK's HTTP client. */
  public UnleashAdmin(AdminSettings settings) {
    this(settings, UnleashTransport.jdk(settings.adminUrl()));
  }

  /**
   * Calls Unleash with the HTTP client of {@code vertx}: for a command that runs a Vert.x anyway,
   * one client stack to start instead of two. Blocks the calling thread: never an event loop.
   */
  public UnleashAdmin(AdminSettings settings, io.vertx.core.Vertx vertx) {
    this(settings, UnleashTransport.vertx(vertx, settings.adminUrl()));
  }

  private UnleashAdmin(AdminSettings settings, UnleashTransport transport) {
    this.settings = settings;
    this.http = new UnleashHttp(settings, transport);
    this.notFound = new UnleashNotFound(settings, http);
  }

  /**
   * Adds a webhook addon that POSTs every flag change to {@code url} with {@code Authorization:
   * Bearer token}, so that gateways refresh at once instead of at their next poll. A webhook addon
   * with the same description is updated instead (Unleash masks an addon's URL when it lists them,
   * so the description names it): a demo restarted on its database would otherwise add one per
   * start, and every change would call the gateways once per addon.
   */
  public void addWebhook(String url, String token, String description) {
    JsonObject body = UnleashBodies.webhookAddon(url, token, description, settings);
    Optional<Integer> existing = webhookAddonNamed(description);
    Answer r =
        existing.isPresent()
            ? http.send("PUT", "/api/admin/addons/" + existing.get(), body.encode())
            : http.send("POST", "/api/admin/addons", body.encode());
    http.expectSuccess(r, "adding the webhook addon for " + url);
  }

  private Optional<Integer> webhookAddonNamed(String description) {
    Answer r = http.get("/api/admin/addons");
    http.expectSuccess(r, "listing Unleash's addons");
    JsonArray addons = UnleashHttp.parse(r).getJsonArray("addons", new JsonArray());
    for (int i = 0; i < addons.size(); i++) {
      JsonObject addon = addons.getJsonObject(i);
      if ("webhook".equals(addon.getString("provider"))
          && description.equals(addon.getString("description"))) {
        return Optional.ofNullable(addon.getInteger("id"));
      }
    }
    return Optional.empty();
  }

  /** A flag's state in the configured environment. */
  public record FlagInfo(String name, String type, boolean enabled, boolean stale) {}

  /** Turns a flag on or off in the configured environment. */
  public void setEnabled(String flag, boolean on) {
    String path =
        "/api/admin/projects/"
            + UnleashHttp.enc(settings.project())
            + "/features/"
            + UnleashHttp.enc(flag)
            + "/environments/"
            + UnleashHttp.enc(settings.environment())
            + (on ? "/on" : "/off");
    Answer response = http.send("POST", path, null);
    if (response.statusCode() == 404) {
      throw notFound.diagnose(flag, response);
    }
    http.expectSuccess(response, (on ? "turning on " : "turning off ") + flag);
  }

  /**
   * Sets the variant every strategy of the flag hands out in the configured environment, or clears
   * it with a null name. Unleash 8 refuses environment-level variants (403), so they live on the
   * strategies; the flag's on/off state is left as it is.
   */
  public void setVariant(String flag, String variant, String jsonPayload) {
    String strategies = strategiesPath(flag);
    JsonArray all = strategies(flag);
    if (all.isEmpty()) {
      throw new AdminException(
          "flag '"
              + flag
              + "' has no strategy in environment '"
              + settings.environment()
              + "' to carry a variant; add one (for example a 100% gradual rollout) in the Unleash UI");
    }
    String patch = UnleashBodies.variantPatch(variant, jsonPayload);
    for (int i = 0; i < all.size(); i++) {
      JsonObject strategy = all.getJsonObject(i);
      if (variant == null && strategy.getJsonArray("variants", new JsonArray()).isEmpty()) {
        // Nothing to clear (a revive after a kill): no request, and no Unleash event whose webhook
        // would make every replica fetch again.
        continue;
      }
      String id = strategy.getString("id");
      Answer r = http.send("PATCH", strategies + "/" + UnleashHttp.enc(id), patch);
      http.expectSuccess(
          r,
          (variant == null ? "clearing the variant of " : "setting variant " + variant + " on ")
              + flag);
    }
  }

  /**
   * The id of the flag's latest event in Unleash's event log, i.e. the revision (Unleash's revision
   * id is its latest event id) by which every change made to the flag so far is in; 0 if it has
   * none.
   */
  public long latestEventId(String flag) {
    // The search API answers with the newest few events; the per-flag list
    // (/api/admin/events/<flag>) returns the latest 50 with their full data (16 KB after a few
    // dozen changes) for one number. Five, not one: the search orders by creation time, and an
    // event written by a transaction that started earlier can carry a higher id. Unleash before
    // the search API (404) gets the list.
    Answer r =
        http.get(
            "/api/admin/search/events?feature="
                + UnleashHttp.enc("IS:" + flag)
                + "&limit=5&offset=0");
    if (r.statusCode() == 404) {
      r = http.get("/api/admin/events/" + UnleashHttp.enc(flag));
    }
    http.expectSuccess(r, "reading the events of " + flag);
    JsonArray events = UnleashHttp.parse(r).getJsonArray("events", new JsonArray());
    long latest = 0;
    for (int i = 0; i < events.size(); i++) {
      Object id = events.getJsonObject(i).getValue("id");
      if (id instanceof Number n) {
        latest = Math.max(latest, n.longValue());
      }
    }
    return latest;
  }

  /** A variant a flag's strategy hands out; {@code payload} is null when it has none. */
  public record FlagVariant(String name, String payload) {
    @Override
    public String toString() {
      return payload == null ? name : name + " " + payload;
    }
  }

  /**
   * The variants the flag's strategies hand out in the configured environment, in strategy order.
   */
  public List<FlagVariant> variants(String flag) {
    List<FlagVariant> out = new ArrayList<>();
    JsonArray all = strategies(flag);
    for (int i = 0; i < all.size(); i++) {
      JsonArray vs = all.getJsonObject(i).getJsonArray("variants", new JsonArray());
      for (int j = 0; j < vs.size(); j++) {
        JsonObject v = vs.getJsonObject(j);
        JsonObject payload = v.getJsonObject("payload");
        out.add(
            new FlagVariant(
                v.getString("name"), payload == null ? null : payload.getString("value", "")));
      }
    }
    return out;
  }

  private String strategiesPath(String flag) {
    return "/api/admin/projects/"
        + UnleashHttp.enc(settings.project())
        + "/features/"
        + UnleashHttp.enc(flag)
        + "/environments/"
        + UnleashHttp.enc(settings.environment())
        + "/strategies";
  }

  private JsonArray strategies(String flag) {
    Answer list = http.get(strategiesPath(flag));
    if (list.statusCode() == 404) {
      throw notFound.diagnose(flag, list);
    }
    http.expectSuccess(list, "reading the strategies of " + flag);
    return UnleashHttp.parseArray(list);
  }

  /** Every flag of the project, with its state in the configured environment. */
  public List<FlagInfo> flags() {
    Answer response =
        http.get("/api/admin/projects/" + UnleashHttp.enc(settings.project()) + "/features");
    if (response.statusCode() == 404) {
      throw notFound.diagnose(null, response);
    }
    http.expectSuccess(response, "listing flags");
    List<FlagInfo> out = new ArrayList<>();
    JsonArray features = UnleashHttp.parse(response).getJsonArray("features", new JsonArray());
    for (int i = 0; i < features.size(); i++) {
      JsonObject f = features.getJsonObject(i);
      out.add(
          new FlagInfo(
              f.getString("name"),
              f.getString("type", ""),
              enabledIn(f),
              f.getBoolean("stale", false)));
    }
    return out;
  }

  public Optional<FlagInfo> flag(String name) {
    return flags().stream().filter(f -> f.name().equals(name)).findFirst();
  }

  private boolean enabledIn(JsonObject feature) {
    JsonArray envs = feature.getJsonArray("environments", new JsonArray());
    for (int i = 0; i < envs.size(); i++) {
      JsonObject e = envs.getJsonObject(i);
      if (settings.environment().equals(e.getString("name", e.getString("environment")))) {
        return e.getBoolean("enabled", false);
      }
    }
    return false;
  }

  /**
   * Creates a source's kill-switch flag as {@code flags/order-gate-flags.json} defines the demo's:
   * type {@code kill-switch}, one 100% gradual rollout strategy in the configured environment (the
   * strategy carries hold and throttle variants later), and on.
   *
   * @return false when the flag existed already (left as it is)
   */
  public boolean createSourceFlag(String flag, String sourceId) {
    String features = "/api/admin/projects/" + UnleashHttp.enc(settings.project()) + "/features";
    JsonObject feature =
        new JsonObject()
            .put("name", flag)
            .put("type", "kill-switch")
            .put("description", "Kill switch for orders from source " + sourceId + ".")
            .put("impressionData", false);
    Answer created = http.send("POST", features, feature.encode());
    if (created.statusCode() == 409) {
      return false;
    }
    if (created.statusCode() == 404) {
      throw notFound.diagnose(null, created);
    }
    http.expectSuccess(created, "creating flag " + flag);
    JsonObject strategy =
        new JsonObject()
            .put("name", "flexibleRollout")
            .put(
                "parameters",
                new JsonObject()
                    .put("rollout", "100")
                    .put("stickiness", "default")
                    .put("groupId", flag))
            .put("constraints", new JsonArray());
    Answer added = http.send("POST", strategiesPath(flag), strategy.encode());
    if (added.statusCode() == 404) {
      throw notFound.diagnose(flag, added);
    }
    http.expectSuccess(added, "adding the rollout strategy to " + flag);
    setEnabled(flag, true);
    return true;
  }

  /** The Admin API call failed; the message says why and what to check. */
  public static class AdminException extends RuntimeException {
    private final boolean unreachable;

    public AdminException(String message) {
      this(false, message);
    }

    AdminException(boolean unreachable, String message) {
      super(message, null, false, false);
      this.unreachable = unreachable;
    }

    /** True when Unleash did not answer at all (as opposed to answering with an error). */
    public boolean unreachable() {
      return unreachable;
    }
  }

  /**
   * Unleash, the project and the environment are there; only the flag is not. Callers that know the
   * source ids turn this into "no source 'x'; known: …".
   */
  public static final class FlagNotFoundException extends AdminException {
    private final String flag;

    FlagNotFoundException(String flag, String message) {
      super(message);
      this.flag = flag;
    }

    public String flag() {
      return flag;
    }
  }
}
