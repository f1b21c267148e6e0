package io.ordergate.flags;

import io.ordergate.config.AdminSettings;
import io.ordergate.flags.UnleashAdmin.AdminException;
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

/**
 * The HTTP and JSON plumbing of the Unleash Admin API: one place that adds the token, turns "cannot
 * connect", 401/403 and non-2xx answers into {@link AdminException}s an operator can act on, and
 * reads bodies. Kept apart from {@link UnleashAdmin} so the flag operations read as what they do.
 */
final class UnleashHttp {
  private final AdminSettings settings;
  private final HttpClient http;

  UnleashHttp(AdminSettings settings) {
    this.settings = settings;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5));
    if ("http".equalsIgnoreCase(settings.adminUrl().getScheme())) {
      // The client would set up TLS with the JDK's trust store at once (a few hundred ms of a
      // command's start) though a plain-HTTP Unleash never uses it; it follows no redirects.
      builder.sslContext(unusedTls());
    }
    this.http = builder.build();
  }

  private static javax.net.ssl.SSLContext unusedTls() {
    try {
      javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
      tls.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
      return tls;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
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

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  void expectSuccess(HttpResponse<String> response, String what) {
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

  static JsonObject parse(HttpResponse<String> response) {
    try {
      return new JsonObject(response.body());
    } catch (DecodeException e) {
      throw new AdminException(
          "Unleash answered with something that is not JSON: " + abbreviate(response.body()));
    }
  }

  static JsonArray parseArray(HttpResponse<String> response) {
    try {
      return new JsonArray(response.body());
    } catch (DecodeException e) {
      throw new AdminException(
          "Unleash answered with something that is not a JSON array: "
              + abbreviate(response.body()));
    }
  }

  /** Unleash's own error message (plus its details), or the start of the body. */
  static String message(HttpResponse<String> response) {
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
