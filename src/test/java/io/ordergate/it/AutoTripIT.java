package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.db.Database;
import io.ordergate.demo.Demo;
import io.ordergate.demo.UnleashServer;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Jar;
import io.ordergate.support.Ports;
import io.ordergate.support.TestBackend;
import io.ordergate.support.TestDatabase;
import io.ordergate.trip.TripLimit;
import io.ordergate.trip.TripStore;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The auto-trip across a fleet: two enforcing replicas (processes) on one database and a third
 * replica in trip mode shadow on a database of its own, the real Unleash server behind all of them.
 * perftest and mobile trip at 100 writes/s, web at 2,000.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoTripIT {
  static int unleashPort;
  static UnleashServer unleash;
  static Vertx vertx;
  static TestBackend backend;
  static String fleetDb;
  static String shadowDb;
  static Pool fleetPool;
  static Pool shadowPool;
  static final List<Replica> fleet = new ArrayList<>();
  static Replica shadow;

  @BeforeAll
  static void start() throws Exception {
    unleashPort = Ports.free();
    unleash =
        UnleashServer.start(
            Path.of("flags"),
            unleashPort,
            TestDatabase.fresh("unleash"),
            Path.of("target", "unleash-trip-" + System.nanoTime() + ".log"),
            Duration.ofSeconds(120));
    vertx = Gateway.newVertx();
    backend = TestBackend.start(vertx);
    fleetDb = TestDatabase.fresh("tripfleet");
    shadowDb = TestDatabase.fresh("tripshadow");
    fleetPool = seeded(fleetDb);
    shadowPool = seeded(shadowDb);
    fleet.add(launch("trip-0", fleetDb, "enforce").awaitReady());
    fleet.add(launch("trip-1", fleetDb, "enforce").awaitReady());
    shadow = launch("trip-shadow", shadowDb, "shadow").awaitReady();
  }

  static Pool seeded(String url) {
    Pool pool = Database.pool(vertx, new DatabaseSettings(url, 2));
    Await.result(Demo.seedSources(pool), 60);
    TripStore trips = new TripStore(pool);
    for (String s : List.of("perftest", "mobile")) {
      Await.result(trips.setLimit(s, new TripLimit(100, 0)), 60);
    }
    Await.result(trips.setLimit("web", new TripLimit(2000, 0)), 60);
    return pool;
  }

  @AfterAll
  static void stop() {
    List<Replica> all = new ArrayList<>(fleet);
    if (shadow != null) {
      all.add(shadow);
    }
    Replica.stopAll(all);
    for (Pool p : new Pool[] {fleetPool, shadowPool}) {
      if (p != null) {
        p.close();
      }
    }
    if (unleash != null) {
      unleash.close();
    }
    if (backend != null) {
      backend.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  static Replica launch(String id, String db, String mode) throws IOException {
    Map<String, String> env = GatewayHarness.settings(backend.url());
    env.put("ORDERGATE_DATABASE_URL", db);
    env.put("ORDERGATE_INSTANCE_ID", id);
    env.put("ORDERGATE_TRIP_MODE", mode);
    env.put("UNLEASH_FETCH_INTERVAL_MS", "60000");
    env.put("UNLEASH_URL", "http://127.0.0.1:" + unleashPort + "/api/");
    env.put("UNLEASH_API_TOKEN", UnleashServer.CLIENT_TOKEN);
    env.put(
        "UNLEASH_BACKUP_FILE",
        Files.createTempDirectory(Path.of("target"), "trip").resolve("backup.json").toString());
    env.put("JAVA_TOOL_OPTIONS", InterventionsIT.QUICK_JVM);
    Process p = Jar.start(env, "serve");
    StringBuffer log = Jar.capture(p, id);
    return new Replica(
        id,
        p,
        Integer.parseInt(env.get("ORDERGATE_HTTP_PORT")),
        Integer.parseInt(env.get("ORDERGATE_OPS_PORT")),
        log);
  }

  static Jar.Run cli(String... args) {
    Map<String, String> env = new HashMap<>();
    env.put("UNLEASH_ADMIN_URL", "http://127.0.0.1:" + unleashPort);
    env.put("UNLEASH_ADMIN_TOKEN", UnleashServer.ADMIN_TOKEN);
    env.put("ORDERGATE_DATABASE_URL", fleetDb);
    env.put("JAVA_TOOL_OPTIONS", InterventionsIT.QUICK_JVM);
    return Jar.run(env, args);
  }

  /** Generous: a loaded shared machine may take long; never a timing assertion. */
  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      GatewayHarness.sleep(100);
    }
    throw new AssertionError("not within 90 s: " + what);
  }

  static List<Row> trips(Pool pool, String source) {
    List<Row> out = new ArrayList<>();
    Await.result(
            pool.preparedQuery(
                    "SELECT id, action, enforces, actor, reason FROM interventions"
                        + " WHERE source_id = $1 AND action = 'trip' ORDER BY id")
                .execute(Tuple.of(source)),
            30)
        .forEach(out::add);
    return out;
  }

  static String metrics(Replica r) {
    return GatewayHarness.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.ops() + "/metrics"))
                .header("Authorization", "Bearer test-ops-token-0123456789"))
        .body();
  }

  /** Writes of the source as fast as a few threads can send them, until stopped. */
  static final class Flood implements AutoCloseable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final List<Thread> threads = new ArrayList<>();
    final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();

    Flood(String source, List<Replica> targets) {
      for (int i = 0; i < 8; i++) {
        Replica target = targets.get(i % targets.size());
        Thread t =
            new Thread(
                () -> {
                  while (running.get()) {
                    try {
                      statuses.add(target.order(source));
                    } catch (RuntimeException e) {
                      // a refused connection under load: keep flooding
                    }
                  }
                },
                "flood-" + i);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(30_000);
      }
    }
  }

  @Test
  @Order(1)
  void aSteadyMixBelowTheRateWithAThreefoldSwingDoesNotTrip() {
    // mobile trips at 100/s: 15/s, then 45/s, then 15/s again, across both replicas
    int[] ratePhases = {15, 45, 15};
    List<Integer> statuses = new ArrayList<>();
    for (int rate : ratePhases) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
      int i = 0;
      while (System.nanoTime() < end) {
        long next = System.nanoTime() + 1_000_000_000L / rate;
        statuses.add(fleet.get(i++ % 2).order("mobile"));
        long wait = next - System.nanoTime();
        if (wait > 0) {
          GatewayHarness.sleep(wait / 1_000_000);
        }
      }
    }
    GatewayHarness.sleep(3000); // the auto-trip looks every 250 ms
    assertThat(statuses).isNotEmpty().containsOnly(201);
    assertThat(trips(fleetPool, "mobile")).isEmpty();
  }

  @Test
  @Order(2)
  void aFloodOverTheTripRateIsHeldOnBothReplicasAndOthersAreUnaffected() throws Exception {
    List<Integer> web = new ArrayList<>();
    try (Flood flood = new Flood("perftest", fleet)) {
      for (Replica r : fleet) {
        await(
            () -> {
              web.add(r.order("web"));
              return r.order("perftest") == 202;
            },
            r.id() + " holds perftest");
      }
    }
    assertThat(web).isNotEmpty().containsOnly(201);
    List<Row> trips = trips(fleetPool, "perftest");
    assertThat(trips).hasSize(1); // one trip, however many replicas saw the flood
    Row trip = trips.get(0);
    assertThat(trip.getString("actor")).isEqualTo("auto-trip");
    assertThat(trip.getString("enforces")).isEqualTo("quarantine");
    assertThat(trip.getString("reason")).contains("fleet rate").contains("> trip rate 100");
    for (Replica r : fleet) {
      assertThat(r.order("web")).isEqualTo(201);
    }
    await(
        () ->
            fleet.stream()
                .anyMatch(
                    r ->
                        metrics(r)
                            .lines()
                            .anyMatch(
                                l ->
                                    l.startsWith("ordergate_trips_total{")
                                        && l.contains("source=\"perftest\"")
                                        && l.contains("action=\"hold\""))),
        "ordergate_trips_total counts the trip");
    await(
        () -> fleet.stream().anyMatch(r -> r.log().toString().contains("auto-tripped source")),
        "a replica logs the trip");

    Jar.Run status = cli("status");
    assertThat(status.exit()).as(status.out()).isZero();
    assertThat(status.out()).contains("auto-trip").contains("fleet rate");
  }

  @Test
  @Order(3)
  void reviveClearsTheTrip() {
    Jar.Run revive = cli("revive", "perftest", "--by", "alice");
    assertThat(revive.exit()).as(revive.out()).isZero();
    for (Replica r : fleet) {
      await(() -> r.order("perftest") == 201, r.id() + " accepts perftest again");
    }
  }

  @Test
  @Order(4)
  void inShadowModeNothingIsTrippedButTheWouldTripIsCountedAndRecorded() throws Exception {
    Flood flood = new Flood("perftest", List.of(shadow));
    try {
      await(() -> !trips(shadowPool, "perftest").isEmpty(), "the would-trip is recorded");
      await(
          () ->
              metrics(shadow)
                  .lines()
                  .anyMatch(
                      l ->
                          l.startsWith("ordergate_trips_total{")
                              && l.contains("action=\"would-hold\"")),
          "the would-trip is counted");
      assertThat(shadow.order("perftest")).isEqualTo(201);
    } finally {
      flood.close();
    }
    assertThat(flood.statuses).isNotEmpty().doesNotContain(202);
    Row trip = trips(shadowPool, "perftest").get(0);
    assertThat(trip.getString("enforces")).isNull();
    assertThat(trip.getString("reason")).startsWith("would hold (trip mode shadow)");
  }
}
