package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.demo.EmbeddedDatabase;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Load;
import io.ordergate.support.Scrape;
import io.ordergate.support.TestBackend;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL frozen (SIGSTOP of all its processes) under load: forwarding goes on, {@code /ready}
 * stays 200, the spool holds the records and ships them all once PostgreSQL is back; with the spool
 * full, writes are refused with audit-unavailable while reads and refusals still work. The database
 * is a server of this class's own, so freezing it touches no other test.
 */
class AuditOutageIT {
  static final int FROZEN_SECONDS = Integer.getInteger("audit.outage.seconds", 15);
  static final AtomicInteger DATABASES = new AtomicInteger();
  static EmbeddedDatabase postgres;
  Vertx vertx;
  TestBackend backend;
  GatewayHarness gateway;
  boolean frozen;
  List<String> postgresPids;

  @BeforeAll
  static void startDatabase() {
    postgres = EmbeddedDatabase.start(null, true);
  }

  @AfterAll
  static void stopDatabase() {
    postgres.close();
  }

  void startGateway(Map<String, String> extra) {
    vertx = Gateway.newVertx();
    backend = TestBackend.start(vertx);
    Map<String, String> env = GatewayHarness.settings(backend.url());
    GatewayHarness.withFlagsFile(env);
    env.put(
        "ORDERGATE_DATABASE_URL", postgres.createDatabase("outage_" + DATABASES.incrementAndGet()));
    env.put("ORDERGATE_AUDIT_FLUSH_MS", "100");
    env.putAll(extra);
    gateway = GatewayHarness.start(vertx, env);
  }

  @AfterEach
  void stopGateway() throws Exception {
    if (frozen) {
      signal("CONT");
    }
    if (gateway != null) {
      gateway.close();
    }
    backend.close();
    vertx.close();
  }

  /**
   * Sends {@code SIGSTOP} / {@code SIGCONT} to the postmaster and every process under it (listed
   * before the first stop: a frozen server answers no query).
   */
  void signal(String signal) throws Exception {
    if (postgresPids == null) {
      String dataDir =
          Await.result(
                  gateway.pool().query("SELECT current_setting('data_directory')").execute(), 30)
              .iterator()
              .next()
              .getString(0);
      long postmaster =
          Long.parseLong(Files.readAllLines(Path.of(dataDir, "postmaster.pid")).get(0).trim());
      postgresPids = new ArrayList<>(List.of(Long.toString(postmaster)));
      ProcessHandle.of(postmaster)
          .orElseThrow()
          .descendants()
          .forEach(p -> postgresPids.add(Long.toString(p.pid())));
    }
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    command.addAll(postgresPids);
    new ProcessBuilder(command).inheritIO().start().waitFor(); // a backend may have ended since
    frozen = signal.equals("STOP");
    if (!frozen) {
      postgresPids = null;
    }
  }

  int ready() {
    return GatewayHarness.send(HttpRequest.newBuilder(URI.create(gateway.opsUrl() + "/ready")))
        .statusCode();
  }

  String awaitShipped() {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (true) {
      String page = Scrape.page(gateway.opsUrl());
      if (Scrape.sum(page, "ordergate_audit_accounted_total")
              >= Scrape.sum(page, "ordergate_requests_total")
          || System.nanoTime() > deadline) {
        return page;
      }
      GatewayHarness.sleep(200);
    }
  }

  long forwardedRows() {
    return Await.result(
            gateway
                .pool()
                .query(
                    "SELECT count(*) FROM audit WHERE decision = 'forwarded' AND method = 'POST'")
                .execute(),
            30)
        .iterator()
        .next()
        .getLong(0);
  }

  @Test
  void aFrozenDatabaseStopsNeitherOrdersNorReadinessAndLosesNothing() throws Exception {
    startGateway(Map.of());
    Load web = Load.start(vertx, gateway.gateway().trafficPort(), "web", 8, false);
    GatewayHarness.sleep(2_000);
    signal("STOP");
    long before = web.answered(201);
    List<Integer> readiness = new ArrayList<>();
    for (int i = 0; i < FROZEN_SECONDS * 2; i++) {
      GatewayHarness.sleep(500);
      readiness.add(ready());
    }
    long duringOutage = web.answered(201) - before;
    String spooled = Scrape.page(gateway.opsUrl());
    signal("CONT");
    GatewayHarness.sleep(2_000);
    Map<Integer, Long> answers = web.stop();

    String page = awaitShipped();
    System.out.printf(
        "audit outage: PostgreSQL frozen %d s, %d orders answered 201 meanwhile, spool peak"
            + " %.0f records; answers %s; requests %.0f, accounted %.0f, dropped %.0f%n",
        FROZEN_SECONDS,
        duringOutage,
        Scrape.sum(spooled, "ordergate_audit_spool_records"),
        answers,
        Scrape.sum(page, "ordergate_requests_total"),
        Scrape.sum(page, "ordergate_audit_accounted_total"),
        Scrape.sum(page, "ordergate_audit_dropped_total"));
    assertThat(readiness).as("/ready while PostgreSQL was frozen").containsOnly(200);
    assertThat(duringOutage).as("orders answered 201 while PostgreSQL was frozen").isPositive();
    assertThat(answers.keySet()).as("only 201s, no errors").containsOnly(201);
    assertThat(Scrape.sum(page, "ordergate_audit_accounted_total"))
        .isEqualTo(Scrape.sum(page, "ordergate_requests_total"));
    assertThat(Scrape.sum(page, "ordergate_audit_dropped_total")).isZero();
    assertThat(forwardedRows()).isEqualTo(backend.received().size()); // only POSTs here
  }

  @Test
  void aFullSpoolRefusesWritesButServesReadsAndRefusals() throws Exception {
    startGateway(Map.of("ORDERGATE_AUDIT_SPOOL_MAX_BYTES", "65536"));
    signal("STOP");
    HttpResponse<String> refused = null;
    for (int i = 0; i < 20_000 && refused == null; i++) {
      HttpResponse<String> r = gateway.order("web");
      if (r.statusCode() != 201) {
        refused = r;
      }
    }
    assertThat(refused).as("the spool filled up").isNotNull();
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(refused.body()).contains("/problems/audit-unavailable");
    int sent = backend.received().size();
    for (int i = 0; i < 20; i++) {
      assertThat(gateway.order("web").statusCode()).isEqualTo(503);
    }
    assertThat(backend.received()).as("nothing reached the order system unrecorded").hasSize(sent);
    HttpResponse<String> read =
        GatewayHarness.send(
            HttpRequest.newBuilder(URI.create(gateway.trafficUrl() + "/orders/ord-1"))
                .header("Authorization", "Bearer demo-web-key")
                .header("X-Upstream-Environment", GatewayHarness.ENVIRONMENT));
    assertThat(read.statusCode()).as("reads still go through").isNotEqualTo(503);
    HttpResponse<String> noKey =
        GatewayHarness.send(
            HttpRequest.newBuilder(URI.create(gateway.trafficUrl() + "/orders"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(noKey.statusCode()).as("refusals still answer their own status").isEqualTo(401);
    assertThat(ready()).isEqualTo(200);

    signal("CONT");
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (gateway.order("web").statusCode() != 201 && System.nanoTime() < deadline) {
      GatewayHarness.sleep(200);
    }
    String page = awaitShipped();
    assertThat(Scrape.sum(page, "ordergate_audit_accounted_total"))
        .isEqualTo(Scrape.sum(page, "ordergate_requests_total"));
    assertThat(Scrape.sum(page, "ordergate_audit_dropped_total")).isZero();
    assertThat(forwardedRows())
        .as("every order that reached the order system has its row")
        .isEqualTo(backend.received().stream().filter(r -> r.method().equals("POST")).count());
    assertThat(gateway.accountedInDatabase())
        .isEqualTo((long) Scrape.sum(page, "ordergate_requests_total"));
  }
}
