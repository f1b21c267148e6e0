package io.ordergate.flags;

import io.ordergate.config.AdminSettings;
import io.ordergate.config.UnleashSettings;
import io.ordergate.flags.UnleashAdmin.AdminException;
import io.ordergate.flags.UnleashAdmin.FlagNotFoundException;
import io.ordergate.flags.UnleashTransport.Answer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A 404 from the Admin API has three causes an operator fixes in different places: the URL is not
 * Unleash's admin API, the project or environment does not exist (a setting), or the flag does not
 * (a name). This asks Unleash which one it is, with a few extra GETs, so the message names the
 * thing to fix. Apart from {@link UnleashAdmin} because it is diagnosis, not a flag operation.
 */
final class UnleashNotFound {
  private final AdminSettings settings;
  private final UnleashHttp http;

  UnleashNotFound(AdminSettings settings, UnleashHttp http) {
    this.settings = settings;
    this.http = http;
  }

  /** The failure to throw for {@code response} (a 404); {@code flag} is null for project calls. */
  AdminException diagnose(String flag, Answer response) {
    Answer ui = http.get("/api/admin/ui-config");
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
              + UnleashSettings.ENVIRONMENT
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
              + UnleashHttp.message(response));
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
    Answer r = http.get(path);
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
}
