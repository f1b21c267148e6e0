package io.ordergate.flags;

import io.ordergate.config.AdminSettings;
import io.ordergate.flags.UnleashAdmin.AdminException;
import io.ordergate.flags.UnleashTransport.Answer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP and JSON plumbing of the Unleash Admin API: one place that adds the token, turns "cannot
 * connect", 401/403 and non-2xx answers into {@link AdminException}s an operator can act on, and
 * reads bodies. Kept apart from {@link UnleashAdmin} so the flag operations read as what they do.
 */
final class UnleashHttp {
  private final AdminSettings settings;
  private final UnleashTransport transport;
  private final java.util.Map<String, String> headers;

  UnleashHttp(AdminSettings settings, UnleashTransport transport) {
    this.settings = settings;
    this.transport = transport;
    this.headers =
        java.util.Map.of(
            "Authorization", settings.adminToken(),
            "Accept", "application/json",
            "Content-Type", "application/json");
  }

  /**
   * One request to {@code path} (below the admin URL), with the token; {@code body} null for none.
   */
  Answer send(String method, String path, String body) {
    try {
      return transport.send(method, uri(path), headers, body);
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

  Answer get(String path) {
    return send("GET", path, null);
  }

  void expectSuccess(Answer response, String what) {
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

  static JsonObject parse(Answer response) {
    try {
      return new JsonObject(response.body());
    } catch (DecodeException e) {
      throw new AdminException(
          "Unleash answered with something that is not JSON: " + abbreviate(response.body()));
    }
  }

  static JsonArray parseArray(Answer response) {
    try {
      return new JsonArray(response.body());
    } catch (DecodeException e) {
      throw new AdminException(
          "Unleash answered with something that is not a JSON array: "
              + abbreviate(response.body()));
    }
  }

  /** Unleash's own error message (plus its details), or the start of the body. */
  static String message(Answer response) {
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

  URI uri(String path) {
    return URI.create(settings.adminUrl() + path);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
