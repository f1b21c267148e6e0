package io.ordergate.support;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.config.Env;
import io.ordergate.config.GatewayConfig;
import io.ordergate.db.Database;
import io.ordergate.demo.Demo;
import io.ordergate.demo.UnleashServer;
import io.ordergate.source.SourceStore;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real gateway for integration tests: its own database with the four demo sources, real ports,
 * and either a real Unleash server or a flags file the test can edit.
 */
public final class GatewayHarness implements AutoCloseable {
  public static final String ENVIRONMENT = "production";

  /** HTTP/1.1 like the order sources; the JDK client would otherwise try an h2c upgrade. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final Vertx vertx;
  private final Map<String, String> env;
  private final Pool pool;
  private Gateway gateway;

  private GatewayHarness(Vertx vertx, Map<String, String> env, Pool pool) {
    this.vertx = vertx;
    this.env = env;
    this.pool = pool;
  }

  /**
   * Settings for a gateway in front of {@code backendUrl}, with a fresh database and demo sources.
   */
  public static Map<String, String> settings(String backendUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("ORDERGATE_BIND_HOST", "127.0.0.1");
    env.put("ORDERGATE_HTTP_PORT", Integer.toString(Ports.free()));
    env.put("ORDERGATE_OPS_PORT", Integer.toString(Ports.free()));
    env.put("ORDERGATE_ENVIRONMENT", ENVIRONMENT);
    env.put("ORDERGATE_BACKEND_URL", backendUrl);
    env.put("ORDERGATE_OPS_TOKEN", "test-ops-token-0123456789");
    env.put("ORDERGATE_DATABASE_URL", TestDatabase.fresh("gateway"));
    env.put("ORDERGATE_EVENT_LOOPS", "2");
    env.put("ORDERGATE_INSTANCE_ID", "test-gateway-" + System.nanoTime());
    env.put("ORDERGATE_AUDIT_FLUSH_MS", "20");
    // settledAuditRows() takes 150 ms without a new row as "all shipped"
    env.put("ORDERGATE_AUDIT_SHIP_INTERVAL_MS", "0");
    env.put("ORDERGATE_AUDIT_SPOOL_DIR", tempDir().resolve("audit-spool").toString());
    env.put("ORDERGATE_SOURCES_REFRESH_MS", "60000");
    // Tests send bursts of unknown keys from one address on purpose; the per-address limit on
    // failed authentications has its own tests (HostileClientIT), which set it themselves.
    env.put("ORDERGATE_AUTH_FAILURES_PER_MINUTE", "0");
    env.put("UNLEASH_BACKUP_FILE", tempDir().resolve("unleash-backup.json").toString());
    env.put("UNLEASH_FETCH_INTERVAL_MS", "200");
    return env;
  }

  /** Points the settings at a real Unleash server. */
  public static Map<String, String> withUnleash(Map<String, String> env, UnleashServer unleash) {
    env.put("UNLEASH_URL", unleash.clientApiUrl());
    env.put("UNLEASH_API_TOKEN", UnleashServer.CLIENT_TOKEN);
    return env;
  }

  /** Points the settings at an editable copy of the bootstrap flags; returns the file. */
  public static Path withFlagsFile(Map<String, String> env) {
    Path file = tempDir().resolve("flags.json");
    try {
      Files.copy(Path.of("flags", "bootstrap.json"), file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("UNLEASH_FLAGS_FILE", file.toString());
    return file;
  }

  /** Turns a flag on or off in a client-API format flags file, as an operator editing it would. */
  public static void setFlag(Path flagsFile, String flag, boolean enabled) {
    try {
      io.vertx.core.json.JsonObject flags =
          new io.vertx.core.json.JsonObject(Files.readString(flagsFile));
      flags.getJsonArray("features").stream()
          .map(io.vertx.core.json.JsonObject.class::cast)
          .filter(f -> flag.equals(f.getString("name")))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no flag " + flag))
          .put("enabled", enabled);
      Files.writeString(flagsFile, flags.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sets (or, with a null name, clears) the variant a flag's strategies hand out, as in the Unleash
   * UI.
   */
  public static void setVariant(Path flagsFile, String flag, String variant, String jsonPayload) {
    try {
      io.vertx.core.json.JsonObject flags =
          new io.vertx.core.json.JsonObject(Files.readString(flagsFile));
      io.vertx.core.json.JsonArray variants = new io.vertx.core.json.JsonArray();
      if (variant != null) {
        io.vertx.core.json.JsonObject v =
            new io.vertx.core.json.JsonObject()
                .put("name", variant)
                .put("weight", 1000)
                .put("weightType", "variable")
                .put("stickiness", "default");
        if (jsonPayload != null) {
          v.put(
              "payload",
              new io.vertx.core.json.JsonObject().put("type", "json").put("value", jsonPayload));
        }
        variants.add(v);
      }
      flags.getJsonArray("features").stream()
          .map(io.vertx.core.json.JsonObject.class::cast)
          .filter(f -> flag.equals(f.getString("name")))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no flag " + flag))
          .getJsonArray("strategies")
          .forEach(st -> ((io.vertx.core.json.JsonObject) st).put("variants", variants.copy()));
      Files.writeString(flagsFile, flags.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Seeds the demo sources into the settings' database and starts the gateway. */
  public static GatewayHarness start(Vertx vertx, Map<String, String> env) {
    GatewayConfig config = GatewayConfig.from(new Env(env));
    Pool pool = Database.pool(vertx, config.database());
    Await.result(Demo.seedSources(pool), 60);
    GatewayHarness harness = new GatewayHarness(vertx, env, pool);
    try {
      harness.gateway = Await.result(Gateway.start(vertx, config, Clock.systemUTC()), 60);
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).contains("Address already in use")) {
        throw e;
      }
      // Another process on this shared machine took a port between Ports.free() and the bind: pick
      // new ones.
      env.put("ORDERGATE_HTTP_PORT", Integer.toString(Ports.free()));
      env.put("ORDERGATE_OPS_PORT", Integer.toString(Ports.free()));
      harness.gateway =
          Await.result(
              Gateway.start(vertx, GatewayConfig.from(new Env(env)), Clock.systemUTC()), 60);
    }
    return harness;
  }

  public Gateway gateway() {
    return gateway;
  }

  public Map<String, String> env() {
    return env;
  }

  public Pool pool() {
    return pool;
  }

  public SourceStore sources() {
    return new SourceStore(pool);
  }

  public String trafficUrl() {
    return "http://127.0.0.1:" + gateway.trafficPort();
  }

  public String opsUrl() {
    return "http://127.0.0.1:" + gateway.opsPort();
  }

  /** A write from a source, declaring the right environment. */
  public HttpResponse<String> order(String source) {
    return send(orderRequest(source, "{\"sku\":\"A-1\",\"qty\":1}"));
  }

  /** A write from a source with the given JSON body, to add headers to before sending. */
  public HttpRequest.Builder orderRequest(String source, String body) {
    return HttpRequest.newBuilder(URI.create(trafficUrl() + "/orders"))
        .header("Authorization", "Bearer " + Demo.keyOf(source))
        .header("X-Upstream-Environment", ENVIRONMENT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  public HttpResponse<String> ops(String path) {
    return send(
        HttpRequest.newBuilder(URI.create(opsUrl() + path))
            .header("Authorization", "Bearer " + env.get("ORDERGATE_OPS_TOKEN")));
  }

  /**
   * Sends bytes the JDK client would refuse to send; returns what came back until the first JSON
   * body closed, the connection closed, or 5 s passed.
   */
  public static String raw(int port, String request) throws IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket
          .getOutputStream()
          .write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
          if (out.toString(java.nio.charset.StandardCharsets.ISO_8859_1).contains("}")) {
            break;
          }
        }
      } catch (java.net.SocketTimeoutException e) {
        // whatever arrived is the answer
      }
      return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  public static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      // The request timeout covers only the headers; get(...) bounds the whole exchange.
      return HTTP.sendAsync(
              request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString())
          .get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io
          ? new UncheckedIOException(io)
          : cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no complete answer within 60 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends writes from {@code source} until one gets {@code status}; returns how long that took. The
   * bound is generous on purpose: CI machines are shared and slow, tests assert no tight timing.
   */
  public Duration awaitOrderStatus(String source, int status) {
    Duration bound = Duration.ofSeconds(15);
    long start = System.nanoTime();
    while (System.nanoTime() - start < bound.toNanos()) {
      if (order(source).statusCode() == status) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      sleep(25);
    }
    throw new AssertionError(source + " did not get " + status + " within " + bound);
  }

  /** Rows in the audit table right now. */
  public long auditRows() {
    return Await.result(
        pool.query("SELECT count(*) FROM audit").execute().map(r -> r.iterator().next().getLong(0)),
        30);
  }

  /**
   * Requests whose outcome PostgreSQL holds: audit rows that are requests (releases are not) plus
   * the refusals counted in aggregates.
   */
  public long accountedInDatabase() {
    return Await.result(
        pool.query(
                "SELECT (SELECT count(*) FROM audit WHERE decision NOT IN ('released', 'release-in-doubt'))"
                    + " + (SELECT coalesce(sum(count), 0) FROM audit_refusals)")
            .execute()
            .map(r -> r.iterator().next().getLong(0)),
        30);
  }

  /** The audit row count once writes have settled (unchanged over two flush intervals). */
  public long settledAuditRows() {
    long previous = -1;
    long rows = auditRows();
    while (rows != previous) {
      sleep(150);
      previous = rows;
      rows = auditRows();
    }
    return rows;
  }

  /**
   * Waits until the audit table holds {@code expected} rows, or the deadline passes; returns the
   * last count.
   */
  public long awaitAuditRows(long expected, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    long rows = auditRows();
    while (rows < expected && System.nanoTime() < end) {
      sleep(50);
      rows = auditRows();
    }
    return rows;
  }

  public void stopGateway() {
    if (gateway != null) {
      Await.result(gateway.stop(), 60);
      gateway = null;
    }
  }

  @Override
  public void close() {
    stopGateway();
    Await.result(pool.close(), 30);
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path tempDir() {
    try {
      Files.createDirectories(Path.of("target", "it-tmp"));
      return Files.createTempDirectory(Path.of("target", "it-tmp"), "gw");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
