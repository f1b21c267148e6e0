package io.ordergate.demo;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.config.Env;
import io.ordergate.config.FloodSettings;
import io.ordergate.config.GatewayConfig;
import io.ordergate.config.QuarantineSettings;
import io.ordergate.db.Database;
import io.ordergate.db.Migrations;
import io.ordergate.source.SourceStore;
import io.ordergate.trip.TripLimit;
import io.ordergate.trip.TripStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the whole stack on one machine: embedded PostgreSQL, the local Unleash server (or
 * file-backed flags without Node), the demo order system and the gateway, with the fixed demo
 * sources, keys and tokens of the README's quick start. Ctrl-C stops everything it started.
 */
public final class Demo {
  public static final List<String> SOURCES = List.of("web", "mobile", "partner", "perftest");
  static final int PERFTEST_TRIP_RATE = 100;
  static final int TRIP_RATE = 2000;
  public static final String ENVIRONMENT = "production";
  public static final String OPS_TOKEN = "order-gate-demo-ops-token";
  public static final String WEBHOOK_TOKEN = "order-gate-demo-webhook-token";
  static final int ORDER_SYSTEM_PORT = 8070;
  static final int TRAFFIC_PORT = 8080;
  static final int OPS_PORT = 8090;
  static final int UNLEASH_PORT = 4242;
  static final int DEMO_FETCH_INTERVAL_MS = 100;

  private final Path dataDir;
  private final Path flagsDir;
  private final boolean wantUnleash;

  /** An order system running elsewhere, or null to start the demo order system in this process. */
  private final URI externalBackend;

  /** Gateway replicas: replica i listens on traffic 8080+i and ops 8090+i. */
  private final int replicas;

  private final List<AutoCloseable> started = new ArrayList<>();

  public Demo(Path dataDir, Path flagsDir, boolean wantUnleash) {
    this(dataDir, flagsDir, wantUnleash, null, 1);
  }

  public Demo(Path dataDir, Path flagsDir, boolean wantUnleash, URI externalBackend, int replicas) {
    if (replicas < 1 || replicas > 10) {
      throw new IllegalStateException("--replicas must be between 1 and 10, was " + replicas);
    }
    this.dataDir = dataDir.toAbsolutePath();
    this.flagsDir = flagsDir.toAbsolutePath();
    this.wantUnleash = wantUnleash;
    this.externalBackend = externalBackend;
    this.replicas = replicas;
  }

  public static String keyOf(String source) {
    return "demo-" + source + "-key";
  }

  /** Starts everything and returns; the JVM keeps running until Ctrl-C. */
  public void run() {
    if (!Files.isRegularFile(flagsDir.resolve("bootstrap.json"))) {
      throw new IllegalStateException(
          "no flags directory at "
              + flagsDir
              + "; run the demo from the project root or pass --flags-dir");
    }
    Leftovers leftovers = new Leftovers(dataDir.resolve("pids"));
    leftovers.stopPrevious();
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      ports.addAll(List.of(TRAFFIC_PORT + i, OPS_PORT + i));
    }
    if (externalBackend == null) {
      ports.add(ORDER_SYSTEM_PORT);
    }
    if (wantUnleash) {
      ports.add(UNLEASH_PORT);
    }
    DemoMachine.requireFreePorts(ports);
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "demo-shutdown"));

    step("Starting embedded PostgreSQL");
    DemoMachine.deleteRecursively(
        dataDir.resolve("postgres")); // left behind if the last demo was killed
    DemoMachine.deleteRecursively(
        dataDir.resolve("unleash-backup.json")); // every run starts from the seeded flags
    EmbeddedDatabase db = EmbeddedDatabase.start(dataDir.resolve("postgres"), false);
    started.add(db);
    leftovers.remember(DemoMachine.postmasterPid(dataDir.resolve("postgres")));
    String gatewayDb = db.createDatabase("ordergate");

    Map<String, String> env = new HashMap<>();
    boolean unleash = wantUnleash && startUnleash(db, env, leftovers);
    if (!unleash) {
      Path flagsFile = dataDir.resolve("flags.json");
      DemoMachine.copy(flagsDir.resolve("bootstrap.json"), flagsFile);
      env.put("UNLEASH_FLAGS_FILE", flagsFile.toString());
    }

    Vertx vertx = Gateway.newVertx();
    started.add(0, () -> vertx.close().await(30, TimeUnit.SECONDS));
    String backendUrl =
        externalBackend == null
            ? "http://127.0.0.1:" + ORDER_SYSTEM_PORT
            : externalBackend.toString();
    if (externalBackend == null) {
      step("Starting the demo order system on 127.0.0.1:" + ORDER_SYSTEM_PORT);
      Await.result(vertx.deployVerticle(new DemoOrderSystem("127.0.0.1", ORDER_SYSTEM_PORT)), 30);
    } else {
      step("Using the order system at " + backendUrl + " (--backend-url)");
    }

    step("Registering the demo sources");
    seedSources(vertx, gatewayDb);

    env.put("ORDERGATE_BIND_HOST", "127.0.0.1");
    env.put("ORDERGATE_ENVIRONMENT", ENVIRONMENT);
    env.put("ORDERGATE_WEBHOOK_TOKEN", WEBHOOK_TOKEN);
    env.put("ORDERGATE_BACKEND_URL", backendUrl);
    env.put("ORDERGATE_OPS_TOKEN", OPS_TOKEN);
    env.put("ORDERGATE_DATABASE_URL", gatewayDb);

    // Unleash publishes a change 0.1-1.05 s after the admin call, its webhook seldom earlier:
    // polling every 100 ms (cheap: 304 while nothing changed) adds at most 100 ms to that floor.
    env.put(
        "UNLEASH_FETCH_INTERVAL_MS",
        System.getenv()
            .getOrDefault("UNLEASH_FETCH_INTERVAL_MS", Integer.toString(DEMO_FETCH_INTERVAL_MS)));
    env.put("UNLEASH_BOOTSTRAP_FILE", flagsDir.resolve("bootstrap.json").toString());
    // What a trip does can be tried on the demo (ORDERGATE_TRIP_MODE=shadow java -jar … demo),
    // and how much of a held flood is stored (ORDERGATE_QUARANTINE_HOLD_RATE).
    for (String name :
        List.of(
            FloodSettings.TRIP_MODE,
            FloodSettings.TRIP_ACTION,
            FloodSettings.TRIP_WEBHOOK_URL,
            QuarantineSettings.HOLD_RATE)) {
      String value = System.getenv(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    for (int i = 0; i < replicas; i++) {
      Map<String, String> own = new HashMap<>(env);
      own.put("ORDERGATE_HTTP_PORT", Integer.toString(TRAFFIC_PORT + i));
      own.put("ORDERGATE_OPS_PORT", Integer.toString(OPS_PORT + i));
      own.put("ORDERGATE_INSTANCE_ID", replicas == 1 ? "demo" : "demo-" + i);
      own.put(
          "UNLEASH_BACKUP_FILE",
          dataDir
              .resolve(replicas == 1 ? "unleash-backup.json" : "unleash-backup-" + i + ".json")
              .toString());
      // In the data directory, not the shared default under /tmp: a spool is held by one process,
      // and another demo or a bench gateway on the same machine would find it in use.
      own.put(
          "ORDERGATE_AUDIT_SPOOL_DIR",
          dataDir.resolve(replicas == 1 ? "audit-spool" : "audit-spool-" + i).toString());
      GatewayConfig config = GatewayConfig.from(new Env(own));
      step(
          replicas == 1
              ? "Starting the gateway"
              : "Starting gateway replica "
                  + own.get("ORDERGATE_INSTANCE_ID")
                  + " (traffic "
                  + (TRAFFIC_PORT + i)
                  + ", ops "
                  + (OPS_PORT + i)
                  + ")");
      Gateway gateway = Await.result(Gateway.start(vertx, config, Clock.systemUTC()), 120);
      started.add(0, () -> gateway.stop().await(60, TimeUnit.SECONDS));
      if (unleash) {
        DemoUnleash.awaitFlagsFromUnleash(gateway);
      }
    }
    if (unleash) {
      step(
          "Pointing Unleash's webhook addon at "
              + DemoUnleash.webhookUrl()
              + " (flag changes apply at once)");
      try {
        DemoUnleash.adminClient()
            .addWebhook(DemoUnleash.webhookUrl(), WEBHOOK_TOKEN, "Order Gate demo gateways");
      } catch (RuntimeException e) {
        warn("Cannot add the webhook addon (" + e.getMessage() + "); gateways rely on polling.");
      }
    }
    DemoBanner.print(unleash, env, replicas);
  }

  private boolean startUnleash(EmbeddedDatabase db, Map<String, String> env, Leftovers leftovers) {
    if (!UnleashServer.nodeAvailable()) {
      warn(
          "Node.js/npm not found: falling back to file-backed flags (install Node 20+ for the real Unleash server).");
      return false;
    }
    step(
        "Starting the local Unleash server on 127.0.0.1:"
            + UNLEASH_PORT
            + " (log: "
            + dataDir.resolve("unleash.log")
            + ")");
    try {
      UnleashServer server =
          UnleashServer.start(
              flagsDir,
              UNLEASH_PORT,
              db.createDatabase("unleash"),
              dataDir.resolve("unleash.log"),
              Duration.ofSeconds(120));
      started.add(0, server);
      leftovers.remember(server.pid());
      env.put("UNLEASH_URL", server.clientApiUrl());
      env.put("UNLEASH_API_TOKEN", UnleashServer.CLIENT_TOKEN);
      return true;
    } catch (IllegalStateException e) {
      warn(
          "The Unleash server did not start ("
              + e.getMessage()
              + "): falling back to file-backed flags.");
      return false;
    }
  }

  private void seedSources(Vertx vertx, String databaseUrl) {
    Pool pool = Database.pool(vertx, new io.ordergate.config.DatabaseSettings(databaseUrl, 2));
    Await.result(seedSources(pool).compose(v -> seedTripRates(pool)).eventually(pool::close), 60);
  }

  /**
   * The demo's trip rates (writes/s across the fleet): perftest trips at {@value
   * #PERFTEST_TRIP_RATE}, the others at {@value #TRIP_RATE}. Only the demo sets them: tests that
   * seed the demo sources flood perftest on purpose.
   */
  public static Future<Void> seedTripRates(Pool pool) {
    TripStore trips = new TripStore(pool);
    Future<Void> seeded = Future.succeededFuture();
    for (String source : SOURCES) {
      int rate = "perftest".equals(source) ? PERFTEST_TRIP_RATE : TRIP_RATE;
      seeded = seeded.compose(v -> trips.setLimit(source, new TripLimit(rate, 0)).mapEmpty());
    }
    return seeded;
  }

  /**
   * Migrates the schema and registers the demo sources with their fixed keys, unless already there.
   */
  public static Future<Void> seedSources(Pool pool) {
    SourceStore store = new SourceStore(pool);
    Future<Void> seeded = Migrations.migrate(pool).mapEmpty();
    for (String source : SOURCES) {
      seeded =
          seeded.compose(
              v ->
                  store
                      .add(source, ENVIRONMENT, "demo source", keyOf(source))
                      .recover(
                          e ->
                              e instanceof SourceStore.SourceExistsException
                                  ? Future.succeededFuture()
                                  : Future.failedFuture(e)));
    }
    return seeded;
  }

  private synchronized void stopAll() {
    System.out.println("Stopping the demo...");
    for (AutoCloseable c : started) {
      try {
        c.close();
      } catch (Exception e) {
        System.err.println("demo: error while stopping: " + e);
      }
    }
    started.clear();
    new Leftovers(dataDir.resolve("pids")).forget();
    System.out.println("Demo stopped.");
  }

  static void step(String what) {
    System.out.println("[demo] " + what + "...");
  }

  static void warn(String what) {
    System.out.println("[demo] WARNING: " + what);
  }
}
