package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.config.Env;
import io.ordergate.db.Database;
import io.ordergate.demo.Demo;
import io.ordergate.intervention.Action;
import io.ordergate.intervention.Intervention;
import io.ordergate.intervention.InterventionStore;
import io.ordergate.source.SourceStore;
import io.ordergate.support.Eventually;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Jar;
import io.ordergate.support.Listening;
import io.ordergate.support.Load;
import io.ordergate.support.RestartableDatabase;
import io.ordergate.support.Scrape;
import io.ordergate.support.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL really stopped under load (postmaster gone, port closed) and started again on the same
 * data directory and port: the packaged gateway keeps forwarding plain orders meanwhile (audited to
 * its spool) and keeps {@code /ready} 200; once PostgreSQL is back it ships the spool (every order
 * answered 2xx has exactly one row, accounted equals requests, nothing dropped) and both of its
 * LISTEN connections come back, so interventions and source changes reach it without a restart.
 */
class AuditRestartIT {
  static final int STOPPED_SECONDS = Integer.getInteger("audit.outage.seconds", 15);
  static final String[] PARTNER_KEYS = {
    "restart-partner-key-one-0123456789", "restart-partner-key-two-0123456789"
  };

  RestartableDatabase postgres;
  Vertx vertx;
  TestBackend backend;
  Pool pool;
  Process gateway;

  @AfterEach
  void stopAll() throws Exception {
    if (gateway != null) {
      gateway.destroy();
      gateway.waitFor(60, TimeUnit.SECONDS);
    }
    if (pool != null) {
      pool.close();
    }
    if (backend != null) {
      backend.close();
    }
    if (vertx != null) {
      Await.result(vertx.close(), 30);
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void aStoppedAndRestartedDatabaseLosesNothingAndTheGatewayFollowsItAgain() {
    postgres = RestartableDatabase.start();
    vertx = Gateway.newVertx();
    backend = TestBackend.start(vertx);
    Map<String, String> env = GatewayHarness.settings(backend.url());
    GatewayHarness.withFlagsFile(env);
    env.put("ORDERGATE_DATABASE_URL", postgres.createDatabase("restart"));
    env.put("ORDERGATE_AUDIT_FLUSH_MS", "100"); // the default
    // Only a notification can bring the rotated key below: no periodic reload during the test.
    env.put("ORDERGATE_SOURCES_REFRESH_MS", "3600000");
    pool = Database.pool(vertx, DatabaseSettings.from(new Env(env)));
    Await.result(Demo.seedSources(pool), 60);
    String ops = "http://127.0.0.1:" + env.get("ORDERGATE_OPS_PORT");
    String traffic = "http://127.0.0.1:" + env.get("ORDERGATE_HTTP_PORT");
    gateway = start(env);
    Jar.awaitReady(ops + "/ready", gateway);
    Eventually.await(
        "the gateway listens for interventions and source changes",
        () -> Listening.onBothChannels(pool));

    Load web = Load.start(vertx, Integer.parseInt(env.get("ORDERGATE_HTTP_PORT")), "web", 8, true);
    Eventually.await("orders flow before the outage", () -> web.answered(201) >= 200);
    postgres.stop();
    assertThat(postgres.accepting()).as("PostgreSQL's port is closed").isFalse();
    long before = web.answered(201);
    List<Integer> readiness = new ArrayList<>();
    for (int i = 0; i < STOPPED_SECONDS * 2; i++) {
      GatewayHarness.sleep(500);
      readiness.add(status(HttpRequest.newBuilder(URI.create(ops + "/ready"))));
    }
    long duringOutage = web.answered(201) - before;
    double spoolPeak = Scrape.sum(Scrape.page(ops), "ordergate_audit_spool_records");
    postgres.startAgain();

    // Changes made the moment PostgreSQL is back, maybe before the gateway listens again: the
    // notification may be lost, so the gateway must reload what it missed once it listens again.
    String instance = env.get("ORDERGATE_INSTANCE_ID");
    Intervention kill = publish("mobile", Action.KILL);
    Eventually.retry(
        () -> Await.result(new SourceStore(pool).rotateKey("partner", PARTNER_KEYS[0], false), 30));
    awaitAck(kill, instance);
    assertThat(status(order(traffic, Demo.keyOf("mobile"))))
        .as("mobile is killed everywhere")
        .isEqualTo(503);
    Eventually.await(
        "a key rotated as PostgreSQL came back is accepted",
        () -> status(order(traffic, PARTNER_KEYS[0])) == 201);

    // Changes made once it listens again arrive by notification (no periodic reload meanwhile).
    Eventually.await("both LISTEN connections are back", () -> Listening.onBothChannels(pool));
    awaitAck(publish("mobile", Action.REVIVE), instance);
    assertThat(status(order(traffic, Demo.keyOf("mobile")))).isEqualTo(201);
    Await.result(new SourceStore(pool).rotateKey("partner", PARTNER_KEYS[1], false), 30);
    Eventually.await(
        "a key rotated after the restart is accepted",
        () -> status(order(traffic, PARTNER_KEYS[1])) == 201);

    GatewayHarness.sleep(1_000); // a last second of orders with everything healthy again
    Map<Integer, Long> answers = web.stop();
    String page = awaitShipped(ops);
    Map<String, Integer> rows = rowsPerRequest();
    List<String> notOnce =
        web.accepted().keySet().stream().filter(id -> rows.getOrDefault(id, 0) != 1).toList();
    double requests = Scrape.sum(page, "ordergate_requests_total");
    double accounted = Scrape.sum(page, "ordergate_audit_accounted_total");
    System.out.printf(
        "audit restart: PostgreSQL stopped %d s, %d orders answered 201 meanwhile, spool peak %.0f"
            + " records; answers %s; requests %.0f, accounted %.0f, dropped %.0f; %d web orders"
            + " answered 2xx, %d without exactly one row%n",
        STOPPED_SECONDS,
        duringOutage,
        spoolPeak,
        answers,
        requests,
        accounted,
        Scrape.sum(page, "ordergate_audit_dropped_total"),
        web.accepted().size(),
        notOnce.size());
    assertThat(readiness).as("/ready while PostgreSQL was stopped").containsOnly(200);
    assertThat(duringOutage).as("orders answered 201 while PostgreSQL was stopped").isPositive();
    assertThat(answers.keySet()).as("only 201s, no errors").containsOnly(201);
    assertThat(notOnce).as("web orders answered 2xx without exactly one audit row").isEmpty();
    assertThat(accounted).isEqualTo(requests);
    assertThat(Scrape.sum(page, "ordergate_audit_dropped_total")).isZero();
    assertThat(rows.values().stream().mapToLong(Integer::longValue).sum())
        .as("forwarded POSTs in the audit = orders the order system received")
        .isEqualTo(backend.received().stream().filter(r -> r.method().equals("POST")).count());
  }

  /** Publishes an intervention as the commands do, once the test's pool reaches PostgreSQL. */
  Intervention publish(String source, Action action) {
    return Eventually.retry(
        () ->
            Await.result(
                new InterventionStore(pool)
                    .publish(
                        Intervention.draft(
                            source, action, 0, "audit-restart-test", "database restart", "")),
                30));
  }

  void awaitAck(Intervention i, String instance) {
    Eventually.await(
        "the gateway acknowledges " + i.summary(),
        () ->
            Await.result(new InterventionStore(pool).acks(i.id()), 30).stream()
                .anyMatch(a -> a.instanceId().equals(instance)));
  }

  /** Forwarded POSTs by request id: how many rows each has. */
  Map<String, Integer> rowsPerRequest() {
    Map<String, Integer> rows = new HashMap<>();
    for (Row r :
        Await.result(
            pool.query(
                    "SELECT request_id FROM audit WHERE decision = 'forwarded' AND method = 'POST'")
                .execute(),
            60)) {
      rows.merge(r.getString(0), 1, Integer::sum);
    }
    return rows;
  }

  static String awaitShipped(String ops) {
    String[] page = new String[1];
    Eventually.await(
        "the spool is shipped",
        () -> {
          page[0] = Scrape.page(ops);
          return Scrape.sum(page[0], "ordergate_audit_accounted_total")
              >= Scrape.sum(page[0], "ordergate_requests_total");
        });
    return page[0];
  }

  static HttpRequest.Builder order(String traffic, String key) {
    return HttpRequest.newBuilder(URI.create(traffic + "/orders"))
        .header("Authorization", "Bearer " + key)
        .header("X-Upstream-Environment", GatewayHarness.ENVIRONMENT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"A-1\",\"qty\":1}"));
  }

  static int status(HttpRequest.Builder request) {
    try {
      return GatewayHarness.send(request).statusCode();
    } catch (RuntimeException e) {
      return -1; // no answer: never what a test waits for
    }
  }

  private static Process start(Map<String, String> env) {
    ProcessBuilder pb =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                Path.of("target", "order-gate.jar").toString(),
                "serve")
            .redirectErrorStream(true)
            .redirectOutput(
                Path.of("target", "audit-restart-" + System.nanoTime() + ".log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("ORDERGATE_") || k.startsWith("UNLEASH_"));
    pb.environment().putAll(env);
    try {
      return pb.start();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
