package io.ordergate.flags;

import io.ordergate.config.AdminSettings;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Unleash Admin API calls behind {@code kill}, {@code revive} and {@code status}. Going through
 * Unleash keeps it the single source of truth, and its event log records who flipped what.
 */
public final class UnleashAdmin {
  private final AdminSettings settings;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public UnleashAdmin(AdminSettings settings) {
    this.settings = settings;
  }

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

  /**
   * Adds a webhook addon that POSTs every flag change to {@code url} with {@code Authorization:
   * Bearer token}, so that gateways refresh at once instead of at their next poll.
   */
  public void addWebhook(String url, String token, String description) {
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
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(uri("/api/admin/addons"))
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    expectSuccess(r, "adding the webhook addon for " + url);
  }

  /** A flag's state in the configured environment. */
  public record FlagInfo(String name, String type, boolean enabled, boolean stale) {}

  /** Turns a flag on or off in the configured environment. */
  public void setEnabled(String flag, boolean on) {
    String path =
        "/api/admin/projects/"
            + enc(settings.project())
            + "/features/"
            + enc(flag)
            + "/environments/"
            + enc(settings.environment())
            + (on ? "/on" : "/off");
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    if (response.statusCode() == 404) {
      throw notFound(flag, response);
    }
    expectSuccess(response, (on ? "turning on " : "turning off ") + flag);
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
    for (int i = 0; i < all.size(); i++) {
      String id = all.getJsonObject(i).getString("id");
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(uri(strategies + "/" + enc(id)))
                  .method("PATCH", HttpRequest.BodyPublishers.ofString(patch)));
      expectSuccess(
          r,
          (variant == null ? "clearing the variant of " : "setting variant " + variant + " on ")
              + flag);
    }
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
        + enc(settings.project())
        + "/features/"
        + enc(flag)
        + "/environments/"
        + enc(settings.environment())
        + "/strategies";
  }

  private JsonArray strategies(String flag) {
    HttpResponse<String> list = send(HttpRequest.newBuilder(uri(strategiesPath(flag))).GET());
    if (list.statusCode() == 404) {
      throw notFound(flag, list);
    }
    expectSuccess(list, "reading the strategies of " + flag);
    return parseArray(list);
  }

  /** Every flag of the project, with its state in the configured environment. */
  public List<FlagInfo> flags() {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    uri("/api/admin/projects/" + enc(settings.project()) + "/features"))
                .GET());
    if (response.statusCode() == 404) {
      throw notFound(null, response);
    }
    expectSuccess(response, "listing flags");
    List<FlagInfo> out = new ArrayList<>();
    JsonArray features = parse(response).getJsonArray("features", new JsonArray());
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
   * A 404 has three causes an operator fixes in different places: the URL is not Unleash's admin
   * API, the project or environment does not exist (a setting), or the flag does not (a name). Asks
   * Unleash which one it is.
   */
  private AdminException notFound(String flag, HttpResponse<String> response) {
    HttpResponse<String> ui = send(HttpRequest.newBuilder(uri("/api/admin/ui-config")).GET());
    if (ui.statusCode() / 100 != 2 || !looksLikeUnleash(ui.body())) {
      return new AdminException(
          AdminSettings.ADMIN_URL
              + "="
              + settings.adminUrl()
              + " is not Unleash's admin API (GET /api/admin/ui-config answered HTTP "
              + ui.statusCode()
              + "); set it to the Unleash server's base URL, e.g. http://unleash:4242, without /api");
    }
    List<String> environments = names("/api/admin/environments", "environments", "name");
    if (environments != null && !environments.contains(settings.environment())) {
      return new AdminException(
          "Unleash has no environment '"
              + settings.environment()
              + "' ("
              + io.ordergate.config.UnleashSettings.ENVIRONMENT
              + "); it has: "
              + String.join(", ", environments));
    }
    List<String> projects = names("/api/admin/projects", "projects", "id");
    if (projects != null && !projects.contains(settings.project())) {
      return new AdminException(
          "Unleash has no project '"
              + settings.project()
              + "' ("
              + AdminSettings.PROJECT
              + "); it has: "
              + String.join(", ", projects));
    }
    if (flag == null) {
      return new AdminException(
          "Unleash answered HTTP 404 for project '"
              + settings.project()
              + "': "
              + message(response));
    }
    return new FlagNotFoundException(
        flag,
        "Unleash has no flag '"
            + flag
            + "' in project '"
            + settings.project()
            + "' (environment '"
            + settings.environment()
            + "')");
  }

  private static boolean looksLikeUnleash(String body) {
    try {
      JsonObject json = new JsonObject(body);
      return json.containsKey("version") || json.containsKey("unleashUrl");
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The {@code field} of each object in the list {@code key} of a GET, or null if unreadable. */
  private List<String> names(String path, String key, String field) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).GET());
    if (r.statusCode() / 100 != 2) {
      return null;
    }
    try {
      JsonArray list = new JsonObject(r.body()).getJsonArray(key, new JsonArray());
      List<String> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        out.add(list.getJsonObject(i).getString(field));
      }
      return out;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Creates a source's kill-switch flag as {@code flags/order-gate-flags.json} defines the demo's:
   * type {@code kill-switch}, one 100% gradual rollout strategy in the configured environment (the
   * strategy carries hold and throttle variants later), and on.
   *
   * @return false when the flag existed already (left as it is)
   */
  public boolean createSourceFlag(String flag, String sourceId) {
    String features = "/api/admin/projects/" + enc(settings.project()) + "/features";
    JsonObject feature =
        new JsonObject()
            .put("name", flag)
            .put("type", "kill-switch")
            .put("description", "Kill switch for orders from source " + sourceId + ".")
            .put("impressionData", false);
    HttpResponse<String> created =
        send(
            HttpRequest.newBuilder(uri(features))
                .POST(HttpRequest.BodyPublishers.ofString(feature.encode())));
    if (created.statusCode() == 409) {
      return false;
    }
    if (created.statusCode() == 404) {
      throw notFound(null, created);
    }
    expectSuccess(created, "creating flag " + flag);
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
    HttpResponse<String> added =
        send(
            HttpRequest.newBuilder(uri(strategiesPath(flag)))
                .POST(HttpRequest.BodyPublishers.ofString(strategy.encode())));
    if (added.statusCode() == 404) {
      throw notFound(flag, added);
    }
    expectSuccess(added, "adding the rollout strategy to " + flag);
    setEnabled(flag, true);
    return true;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request
              .header("Authorization", settings.adminToken())
              .header("Accept", "application/json")
              .header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AdminException(
          true,
          "cannot reach Unleash at "
              + settings.adminUrl()
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdminException("interrupted while calling Unleash");
    }
  }

  private void expectSuccess(HttpResponse<String> response, String what) {
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw new AdminException(
          "Unleash refused the admin token while "
              + what
              + " (HTTP "
              + status
              + "); check "
              + AdminSettings.ADMIN_TOKEN
              + " is an admin API token or personal access token");
    }
    if (status / 100 != 2) {
      throw new AdminException(
          "Unleash answered HTTP " + status + " while " + what + ": " + message(response));
    }
  }

  private static JsonObject parse(HttpResponse<String> response) {
    try {
      return new JsonObject(response.body());
    } catch (DecodeException e) {
      throw new AdminException(
          "Unleash answered with something that is not JSON: " + abbreviate(response.body()));
    }
  }

  private static JsonArray parseArray(HttpResponse<String> response) {
    try {
      return new JsonArray(response.body());
    } catch (DecodeException e) {
      throw new AdminException(
          "Unleash answered with something that is not a JSON array: "
              + abbreviate(response.body()));
    }
  }

  private static String message(HttpResponse<String> response) {
    try {
      JsonObject json = new JsonObject(response.body());
      Object details = json.getValue("details");
      String message = json.getString("message", abbreviate(response.body()));
      return details instanceof JsonArray d && !d.isEmpty()
          ? message + " " + abbreviate(d.encode())
          : message;
    } catch (RuntimeException e) {
      return abbreviate(response.body());
    }
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  private URI uri(String path) {
    return URI.create(settings.adminUrl() + path);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
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
