package io.ordergate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls a simulation makes around its load, outside Gatling: the Unleash Admin API (a source's
 * flag), the demo order system's own count ({@code GET /orders}) and the gateway's ops API ({@code
 * /ops/sources}, {@code /ops/quarantine/discard}). Defaults are the demo's; every one is a -D
 * property. Failures are answered as -1 or null, never thrown: a simulation reports what it could
 * not measure instead of dying after minutes of load.
 */
final class DemoControl {
  private static final ObjectMapper JSON = new ObjectMapper();

  final String orderSystemUrl = Params.string("orderSystemUrl", "http://127.0.0.1:8070");
  final String opsUrl = Params.string("opsUrl", "http://127.0.0.1:8090");
  private final String opsToken = Params.string("opsToken", "order-gate-demo-ops-token");
  final String unleashUrl = Params.string("unleashUrl", "http://127.0.0.1:4242");
  private final String unleashToken =
      Params.string("unleashToken", "*:*.order-gate-demo-admin-token");
  private final String unleashProject = Params.string("unleashProject", "default");
  private final String unleashEnvironment = Params.string("unleashEnvironment", "production");
  private final String tag;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param tag the simulation's name, for console lines
   */
  DemoControl(String tag) {
    this.tag = tag;
  }

  /** Turns a flag on or off in the demo's environment; Unleash's status code, or -1. */
  int toggle(String flag, boolean on) {
    String url =
        unleashUrl
            + "/api/admin/projects/"
            + unleashProject
            + "/features/"
            + flag
            + "/environments/"
            + unleashEnvironment
            + (on ? "/on" : "/off");
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", unleashToken)
                .POST(HttpRequest.BodyPublishers.noBody()));
    return response == null ? -1 : response.statusCode();
  }

  /** Orders of {@code source} the demo order system has received ({@code GET /orders}), or -1. */
  long receivedByOrderSystem(String source) {
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(URI.create(orderSystemUrl + "/orders")).GET());
    if (response == null || response.statusCode() != 200) {
      return -1;
    }
    Matcher m =
        Pattern.compile("\"" + Pattern.quote(source) + "\"\\s*:\\s*(\\d+)")
            .matcher(response.body());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /** {@code GET /ops/sources} as JSON, one element per source; null when not available. */
  JsonNode sources() {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(opsUrl + "/ops/sources"))
                .header("Authorization", "Bearer " + opsToken)
                .GET());
    if (response == null || response.statusCode() != 200) {
      return null;
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      return null;
    }
  }

  private static final Pattern TRIPS =
      Pattern.compile("^ordergate_trips_total\\{(.*)\\}\\s+(\\S+)$", Pattern.MULTILINE);
  private static final Pattern SOURCE_LABEL = Pattern.compile("source=\"([^\"]*)\"");

  /**
   * {@code ordergate_trips_total} of this replica by source ({@code GET /metrics}: the replica that
   * published a trip counts it, shadow trips as {@code would-…}); null when not available.
   */
  Map<String, Long> tripsCounted() {
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(URI.create(opsUrl + "/metrics")).GET());
    if (response == null || response.statusCode() != 200) {
      return null;
    }
    Map<String, Long> out = new HashMap<>();
    Matcher m = TRIPS.matcher(response.body());
    while (m.find()) {
      Matcher source = SOURCE_LABEL.matcher(m.group(1));
      if (source.find()) {
        out.merge(source.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
      }
    }
    return out;
  }

  /** One source's entry of {@code /ops/sources}, or null. */
  JsonNode source(String id) {
    JsonNode all = sources();
    if (all != null) {
      for (JsonNode s : all) {
        if (id.equals(s.path("id").asText())) {
          return s;
        }
      }
    }
    return null;
  }

  /**
   * Makes the source accept writes with no intervention in force, through Unleash: a change of the
   * source's flag ends any intervention (a trip, a kill, an operator's revive), so the flag goes
   * off until the gateway shows that, then on until the gateway accepts. Unlike {@code order-gate
   * revive}, this leaves no revive behind, whose 60 s grace would keep the next run from tripping.
   * Without an intervention in force only the flag is turned on. False when the gateway did not get
   * there within {@code -DsettleSeconds} (20) per step.
   */
  boolean revive(String source, String flag) {
    JsonNode now = source(source);
    if (now != null && !now.path("intervention").isNull()) {
      if (toggle(flag, false) != 200
          || !await(source, s -> "reject".equals(decision(s)) && s.path("intervention").isNull())) {
        return false;
      }
    }
    return toggle(flag, true) == 200
        && await(source, s -> "accept".equals(decision(s)) && s.path("intervention").isNull());
  }

  private static String decision(JsonNode source) {
    return source.path("decision").asText();
  }

  private boolean await(String source, java.util.function.Predicate<JsonNode> state) {
    long deadline = System.currentTimeMillis() + Params.seconds("settleSeconds", 20).toMillis();
    while (System.currentTimeMillis() < deadline) {
      JsonNode s = source(source);
      if (s != null && state.test(s)) {
        return true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    System.out.printf(
        "[%s] the gateway did not settle %s in time: %s%n", tag, source, source(source));
    return false;
  }

  /** Discards every held order of the source; how many, or -1. */
  long discardHeld(String source, String reason) {
    String body = JSON.createObjectNode().put("source", source).put("reason", reason).toString();
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(opsUrl + "/ops/quarantine/discard"))
                .header("Authorization", "Bearer " + opsToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    if (response == null || response.statusCode() != 200) {
      System.out.printf(
          "[%s] discarding held %s orders failed: %s%n",
          tag, source, response == null ? "unreachable" : response.body());
      return -1;
    }
    try {
      return JSON.readTree(response.body()).path("discarded").asLong(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      System.out.printf("[%s] %s unreachable: %s%n", tag, request.build().uri(), e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
