package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.audit.AuditRecord;
import io.ordergate.audit.AuditStore;
import io.ordergate.cleanup.CleanupBusyException;
import io.ordergate.cleanup.CleanupExecution;
import io.ordergate.cleanup.CleanupPlan;
import io.ordergate.cleanup.CleanupReport;
import io.ordergate.cleanup.CleanupWindow;
import io.ordergate.cleanup.Cleanups;
import io.ordergate.cleanup.OrderCanceller;
import io.ordergate.config.CancelRequest;
import io.ordergate.config.CleanupSettings;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.db.Database;
import io.ordergate.demo.DemoOrderSystem;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Ports;
import io.ordergate.support.TestOrderSystem;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clean-up of forwarded orders against a real gateway, its database and an order system that
 * cancels: the window touches exactly the orders it should, each cancel is sent once, an
 * interrupted or killed run resumes, and the ops API drives the same thing.
 */
class CleanupIT {
  private static final Instant BASE = Instant.parse("2026-01-01T10:00:00Z");
  static Vertx vertx;
  static TestOrderSystem orders;
  static GatewayHarness gateway;
  static Cleanups cleanups;

  @BeforeAll
  static void start() {
    vertx = Gateway.newVertx();
    orders = TestOrderSystem.start(vertx);
    Map<String, String> env = GatewayHarness.settings(orders.url());
    GatewayHarness.withFlagsFile(env);
    gateway = GatewayHarness.start(vertx, env);
    cleanups = cleanups(vertx, gateway.pool(), orders.url());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    orders.close();
    Await.result(vertx.close(), 30);
  }

  static Cleanups cleanups(Vertx on, Pool pool, String backendUrl) {
    return cleanups(on, pool, backendUrl, Duration.ofSeconds(1));
  }

  static Cleanups cleanups(Vertx on, Pool pool, String backendUrl, Duration timeout) {
    DatabaseSettings db = new DatabaseSettings(gateway.env().get("ORDERGATE_DATABASE_URL"), 2);
    OrderCanceller canceller =
        new OrderCanceller(
            on,
            URI.create(backendUrl),
            CancelRequest.parse(CancelRequest.DEFAULT),
            Duration.ofSeconds(2),
            timeout,
            8);
    return new Cleanups(
        on,
        pool,
        db.connectOptions(),
        new CleanupSettings(CancelRequest.parse(CancelRequest.DEFAULT), 50),
        canceller,
        new GateMetrics(),
        "test-cleanup");
  }

  // ---- driven through a running gateway and its ops API ----

  @Test
  void theOpsApiCountsCancelsAndFinishesExactlyTheOrdersTheGatewayForwarded() {
    Instant since = Instant.now().minusSeconds(1);
    List<String> perftestIds = new ArrayList<>();
    List<String> webIds = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = gateway.order("perftest");
      assertThat(r.statusCode()).isEqualTo(201);
      perftestIds.add(new JsonObject(r.body()).getString("id"));
    }
    for (int i = 0; i < 4; i++) {
      webIds.add(new JsonObject(gateway.order("web").body()).getString("id"));
    }
    // A read from perftest is forwarded too, but it is no order to cancel.
    assertThat(
            GatewayHarness.send(
                    HttpRequest.newBuilder(
                            URI.create(gateway.trafficUrl() + "/orders/" + perftestIds.get(0)))
                        .header("Authorization", "Bearer demo-perftest-key")
                        .header("X-Upstream-Environment", "production"))
                .statusCode())
        .isEqualTo(200);
    gateway.settledAuditRows();
    Instant until = Instant.now().plusSeconds(1);

    JsonObject dry =
        postCleanup(
            new JsonObject()
                .put("source", "perftest")
                .put("since", since.toString())
                .put("until", until.toString()),
            200);
    assertThat(dry.getLong("orders")).isEqualTo(6);
    assertThat(dry.getLong("withoutOrderId")).isZero();
    assertThat(dry.getLong("toCancel")).isEqualTo(6);
    assertThat(dry.getBoolean("dryRun")).isTrue();
    assertThat(ids(dry.getJsonArray("sample"))).containsExactlyElementsOf(perftestIds);
    assertThat(orders.deletes()).isEmpty();

    JsonObject relative =
        postCleanup(new JsonObject().put("source", "perftest").put("since", "10m"), 200);
    assertThat(relative.getJsonObject("resolved").getString("since")).isEqualTo("10m ago");
    assertThat(relative.getLong("orders")).isEqualTo(6);

    JsonObject body =
        new JsonObject()
            .put("source", "perftest")
            .put("since", since.toString())
            .put("until", until.toString())
            .put("execute", true);
    HttpResponse<String> started = opsPost(body);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String location = started.headers().firstValue("Location").orElseThrow();
    assertThat(location)
        .isEqualTo("/ops/cleanup/" + new JsonObject(started.body()).getLong("runId"));
    JsonObject report = awaitRunEnd(location);
    assertThat(report.getString("state")).isEqualTo("finished");
    assertThat(report.getLong("cancelled")).isEqualTo(6);
    assertThat(report.getLong("failed")).isZero();
    assertThat(report.getLong("pending")).isZero();

    assertThat(orders.deletePaths())
        .containsExactlyInAnyOrderElementsOf(
            perftestIds.stream().map(id -> "/orders/" + id).toList());
    assertThat(orders.deletes())
        .allSatisfy(
            d -> {
              assertThat(d.source()).isEqualTo("perftest");
              assertThat(d.requestId()).isNotBlank();
            });
    assertThat(orders.cancelled()).doesNotContainAnyElementsOf(webIds);

    // Nothing left: a second execution sends nothing, and the dry run says why.
    HttpResponse<String> again = opsPost(body);
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(new JsonObject(again.body()).getLong("toSend")).isZero();
    assertThat(
            awaitRunEnd(again.headers().firstValue("Location").orElseThrow()).getLong("cancelled"))
        .isEqualTo(6);
    assertThat(orders.deletes()).hasSize(6);
    JsonObject after =
        postCleanup(
            new JsonObject()
                .put("source", "perftest")
                .put("since", since.toString())
                .put("until", until.toString()),
            200);
    assertThat(after.getLong("alreadyCancelled")).isEqualTo(6);
    assertThat(after.getLong("toCancel")).isZero();

    assertThat(gateway.ops("/metrics").body())
        .contains("ordergate_cleanup_orders_total{result=\"cancelled\",source=\"perftest\"} 6.0")
        .contains("ordergate_cleanup_pending");
  }

  @Test
  void theOpsApiRefusesWhatItCannotDo() {
    HttpResponse<String> noSince = opsPost(new JsonObject().put("source", "perftest"));
    assertThat(noSince.statusCode()).isEqualTo(400);
    assertThat(noSince.body()).contains("/problems/bad-cleanup-request").contains("since");
    HttpResponse<String> badTime =
        opsPost(new JsonObject().put("source", "perftest").put("since", "yesterday"));
    assertThat(badTime.statusCode()).isEqualTo(400);
    assertThat(badTime.body()).contains("2026-11-28T10:00:00Z");
    HttpResponse<String> reversed =
        opsPost(new JsonObject().put("source", "perftest").put("since", "1h").put("until", "2h"));
    assertThat(reversed.statusCode()).isEqualTo(400);
    assertThat(gateway.ops("/ops/cleanup/987654").statusCode()).isEqualTo(404);
    assertThat(gateway.ops("/ops/cleanup/987654").body()).contains("/problems/cleanup-not-found");
    assertThat(gateway.ops("/ops/cleanup/x").statusCode()).isEqualTo(404);
    HttpResponse<String> noToken =
        GatewayHarness.send(
            HttpRequest.newBuilder(URI.create(gateway.opsUrl() + "/ops/cleanup"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(noToken.statusCode()).isEqualTo(401);
  }

  @Test
  void theOpsApiStopsARunThatAnotherProcessExecutes() {
    String s = "opsstop";
    plantOrders(s, 30);
    CleanupWindow window = new CleanupWindow(s, BASE, BASE.plusSeconds(3600));
    CleanupExecution slow = Await.result(cleanups.start(window, 5), 60);
    awaitCondition(() -> !deletesOf(s + "-").isEmpty(), "a first cancel");
    HttpResponse<String> stop = opsPostPath("/ops/cleanup/" + slow.runId() + "/stop");
    assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
    CleanupReport stopped = await(slow);
    assertThat(stopped.state()).isEqualTo("stopped");
    assertThat(slow.stopReason()).isEqualTo(CleanupExecution.STOPPED_BY_OPS);
    assertThat(stopped.pending()).isPositive();

    HttpResponse<String> again = opsPostPath("/ops/cleanup/" + slow.runId() + "/stop");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("/problems/cleanup-not-running").contains("stopped");
    assertThat(opsPostPath("/ops/cleanup/987654/stop").statusCode()).isEqualTo(404);
    JsonObject report = new JsonObject(gateway.ops("/ops/cleanup/" + slow.runId()).body());
    assertThat(report.getString("state")).isEqualTo("stopped");
    assertThat(report.getLong("pending")).isEqualTo(stopped.pending());
  }

  // ---- audit rows planted at the window's edges ----

  @Test
  void theWindowTakesOnlyThisSourcesAcceptedPostsFromSinceUpToUntil() {
    Instant since = BASE;
    Instant until = BASE.plus(1, ChronoUnit.HOURS);
    String s = "edges";
    plant(
        row(s, "e-before", "forwarded", "POST", 201, since.minus(1, ChronoUnit.MICROS)),
        row(s, "e-first", "forwarded", "POST", 201, since),
        row(s, "e-last", "forwarded", "POST", 200, until.minus(1, ChronoUnit.MICROS)),
        row(s, "e-after", "forwarded", "POST", 201, until),
        row(s, "e-released", "released", "POST", 202, since.plusSeconds(60)),
        row(s, "e-disabled", "source-disabled", "POST", 503, since.plusSeconds(61)),
        row(s, "e-get", "forwarded", "GET", 200, since.plusSeconds(62)),
        row(s, "e-put", "forwarded", "PUT", 200, since.plusSeconds(63)),
        row(s, "e-500", "forwarded", "POST", 500, since.plusSeconds(64)),
        row(s, "e-409", "forwarded", "POST", 409, since.plusSeconds(64)),
        row(s, null, "forwarded", "POST", 201, since.plusSeconds(65)),
        row(s, "", "forwarded", "POST", 201, since.plusSeconds(66)),
        row(s, "e-dup", "forwarded", "POST", 201, since.plusSeconds(67)),
        row(s, "e-dup", "forwarded", "POST", 201, since.plusSeconds(68)),
        row(s, "a b/c%", "forwarded", "POST", 201, since.plusSeconds(69)),
        row("edges-other", "e-other", "forwarded", "POST", 201, since.plusSeconds(70)));

    CleanupWindow window = new CleanupWindow(s, since, until);
    CleanupPlan plan = Await.result(cleanups.plan(window), 30);
    assertThat(plan.orders()).isEqualTo(8);
    assertThat(plan.withoutOrderId()).isEqualTo(2);
    assertThat(plan.orderIds()).isEqualTo(5);
    assertThat(plan.toCancel()).isEqualTo(5);
    assertThat(plan.sample())
        .extracting(CleanupPlan.SampleOrder::orderId)
        .containsExactly("e-first", "e-released", "e-dup", "e-dup", "a b/c%", "e-last");

    CleanupReport report =
        execute(cleanups, window).completion().toCompletionStage().toCompletableFuture().join();
    assertThat(report.cancelled()).isEqualTo(5);
    assertThat(report.withoutOrderId()).isEqualTo(2);
    assertThat(deletesOf("e-", "a%20"))
        .containsExactlyInAnyOrder(
            "/orders/e-first",
            "/orders/e-last",
            "/orders/e-released",
            "/orders/e-dup",
            "/orders/a%20b%2Fc%25");

    // A wider window later: what the first run cancelled counts as done, only the new edges are
    // left.
    CleanupPlan wider =
        Await.result(
            cleanups.plan(new CleanupWindow(s, since.minusSeconds(3600), until.plusSeconds(3600))),
            30);
    assertThat(wider.alreadyCancelled()).isEqualTo(5);
    assertThat(wider.toCancel()).isEqualTo(2);
    assertThat(wider.sample())
        .extracting(CleanupPlan.SampleOrder::orderId)
        .containsExactly("e-before", "e-after");
  }

  @Test
  void aPostToAnExistingOrderIsNoOrderThisSourcePlaced() {
    Instant at = BASE.plus(3, ChronoUnit.HOURS);
    String s = "subresource";
    // The order system answers a note added to someone else's order with that order's id (or the
    // note's).
    plant(
        row(s, "sub-placed", "forwarded", "POST", 201, at),
        withPath(
            row(s, "sub-someone-elses", "forwarded", "POST", 201, at.plusSeconds(1)),
            "/orders/sub-someone-elses/notes"),
        withPath(
            row(s, "sub-note-9", "forwarded", "POST", 201, at.plusSeconds(2)),
            "/orders/sub-other/notes"),
        withPath(
            row(s, "sub-released", "released", "POST", 202, at.plusSeconds(3)),
            "/orders?channel=b2b"));

    CleanupWindow window = new CleanupWindow(s, at, at.plusSeconds(60));
    CleanupPlan plan = Await.result(cleanups.plan(window), 30);

    assertThat(plan.sample())
        .extracting(CleanupPlan.SampleOrder::orderId)
        .containsExactly("sub-placed", "sub-released");
    assertThat(plan.orders()).isEqualTo(2);
    CleanupReport report =
        execute(cleanups, window).completion().toCompletionStage().toCompletableFuture().join();
    assertThat(report.cancelled()).isEqualTo(2);
    assertThat(deletesOf("sub-"))
        .containsExactlyInAnyOrder("/orders/sub-placed", "/orders/sub-released");
  }

  private static AuditRecord withPath(AuditRecord r, String path) {
    return new AuditRecord(
        r.requestId(),
        r.sourceId(),
        r.method(),
        path,
        r.decision(),
        r.status(),
        r.backendOrderId(),
        r.flagRevision(),
        r.receivedAtMicros(),
        r.completedAtMicros());
  }

  @Test
  void aStoppedRunResumesWhereItStoppedAndSendsEachCancelOnce() {
    String s = "resume";
    List<String> ids = plantOrders(s, 40);
    CleanupWindow window = new CleanupWindow(s, BASE, BASE.plusSeconds(3600));
    AtomicReference<CleanupExecution> running = new AtomicReference<>();
    AtomicBoolean tenth = new AtomicBoolean();
    orders.onDelete(
        n -> {
          if (n >= deletesBefore(s) + 10
              && tenth.compareAndSet(false, true)
              && running.get() != null) {
            running.get().stop("test stop");
          }
        });
    try {
      CleanupExecution first = execute(cleanups, window);
      running.set(first);
      if (tenth.get()) {
        first.stop("test stop");
      }
      CleanupReport stopped = await(first);
      assertThat(stopped.state()).isEqualTo("stopped");
      assertThat(stopped.pending()).isPositive();
      assertThat(stopped.cancelled()).isGreaterThanOrEqualTo(10).isEqualTo(40 - stopped.pending());
    } finally {
      orders.onDelete(n -> {});
    }
    CleanupReport resumed = await(execute(cleanups, window));
    assertThat(resumed.state()).isEqualTo("finished");
    assertThat(resumed.cancelled()).isEqualTo(40);
    assertThat(resumed.pending()).isZero();
    assertThat(deletesOf(s + "-"))
        .hasSize(40)
        .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "/orders/" + id).toList());
  }

  @Test
  void aRunWhoseProcessDiedIsResumedAndNoOrderIsSkipped() {
    String s = "killed";
    List<String> ids = plantOrders(s, 30);
    CleanupWindow window = new CleanupWindow(s, BASE, BASE.plusSeconds(3600));
    // The cancels from the 11th on reach the order system, which cancels them, but their answers
    // never come back.
    Set<String> lost = ids.stream().skip(10).collect(Collectors.toSet());
    orders.neverAnswer(lost::contains);
    Vertx doomed = Vertx.vertx();
    Pool doomedPool =
        Database.pool(doomed, new DatabaseSettings(gateway.env().get("ORDERGATE_DATABASE_URL"), 2));
    try {
      execute(cleanups(doomed, doomedPool, orders.url()), window);
      awaitCondition(() -> deletesOf(s + "-").size() > 10, "cancels sent before the kill");
      // The process dies: its database connections go first (nothing more is recorded), then
      // everything else.
      Await.result(doomedPool.close(), 30);
      Await.result(doomed.close(), 30);
    } finally {
      orders.neverAnswer(id -> false);
    }
    int sentBefore = deletesOf(s + "-").size();

    CleanupReport resumed = await(execute(cleanups, window));
    assertThat(resumed.state()).isEqualTo("finished");
    assertThat(resumed.pending()).isZero();
    assertThat(resumed.failed()).isZero();
    assertThat(resumed.cancelled() + resumed.gone()).isEqualTo(30);
    assertThat(orders.cancelled()).containsAll(ids);
    Map<String, Long> sends =
        deletesOf(s + "-").stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(sends.keySet())
        .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "/orders/" + id).toList());
    // Only cancels whose answer was lost are sent twice; the order system said 404 to the repeat.
    long twice = sends.values().stream().filter(n -> n == 2).count();
    assertThat(sends.values()).allMatch(n -> n <= 2);
    assertThat(resumed.gone()).isEqualTo(twice);
    assertThat(twice).isLessThanOrEqualTo(sentBefore);
  }

  @Test
  void onlyOneExecutionPerSourceRunsAtATimeAcrossProcesses() {
    String s = "busy";
    List<String> ids = plantOrders(s, 3);
    CleanupWindow window = new CleanupWindow(s, BASE, BASE.plusSeconds(3600));
    orders.neverAnswer(ids::contains);
    Cleanups patient = cleanups(vertx, gateway.pool(), orders.url(), Duration.ofSeconds(60));
    CleanupExecution first;
    try {
      first = execute(patient, window);
      awaitCondition(() -> deletesOf(s + "-").size() == 3, "all three cancels in flight");
      assertThatThrownBy(() -> execute(cleanups, new CleanupWindow(s, BASE, BASE.plusSeconds(60))))
          .isInstanceOf(CleanupBusyException.class)
          .hasMessageContaining("already running")
          .hasMessageContaining("run " + first.runId());
      // The gateway is another process as far as the lock is concerned.
      HttpResponse<String> viaOps =
          opsPost(
              new JsonObject()
                  .put("source", s)
                  .put("since", BASE.toString())
                  .put("until", BASE.plusSeconds(3600).toString())
                  .put("execute", true));
      assertThat(viaOps.statusCode()).isEqualTo(409);
      assertThat(viaOps.body()).contains("/problems/cleanup-running");
      assertThat(viaOps.headers().firstValue("Retry-After")).isEmpty();
    } finally {
      orders.neverAnswer(id -> false);
    }
    first.stop("test");
    orders.releaseHeld(204);
    CleanupReport stopped = await(first);
    assertThat(stopped.state()).isEqualTo("stopped");
    assertThat(stopped.cancelled()).isEqualTo(3);
    // Once it has ended the source is free again, and nothing is left to do.
    CleanupReport second = await(execute(cleanups, window));
    assertThat(second.state()).isEqualTo("finished");
    assertThat(second.cancelled()).isEqualTo(3);
    assertThat(deletesOf(s + "-")).hasSize(3);
    Await.result(patient.stop("test"), 30);
  }

  @Test
  void failuresAreReportedByReasonAndRetriedByTheNextExecution() {
    String s = "failing";
    plantOrders(s, 6);
    CleanupWindow window = new CleanupWindow(s, BASE, BASE.plusSeconds(3600));
    orders.answer(
        id ->
            switch (id) {
              case "failing-1", "failing-2" -> 500;
              case "failing-3" -> 410;
              case "failing-4" -> 503;
              default -> null;
            });
    CleanupReport first;
    try {
      first = await(execute(cleanups, window));
    } finally {
      orders.answer(id -> null);
    }
    assertThat(first.state()).isEqualTo("finished");
    assertThat(first.cancelled()).isEqualTo(2);
    assertThat(first.gone()).isEqualTo(1);
    assertThat(first.failed()).isEqualTo(3);
    assertThat(first.failures())
        .containsExactly(Map.entry("HTTP 500", 2L), Map.entry("HTTP 503", 1L));

    CleanupReport retried = await(execute(cleanups, window));
    assertThat(retried.cancelled()).isEqualTo(5);
    assertThat(retried.gone()).isEqualTo(1);
    assertThat(retried.failed()).isZero();
    assertThat(retried.failures()).isEmpty();
    assertThat(deletesOf(s + "-")).hasSize(9);
  }

  @Test
  void anOrderSystemThatDoesNotAnswerStopsTheRunInsteadOfFailingEveryOrder() {
    String s = "down";
    plantOrders(s, 60);
    CleanupWindow window = new CleanupWindow(s, BASE, BASE.plusSeconds(3600));
    Cleanups nowhere = cleanups(vertx, gateway.pool(), "http://127.0.0.1:" + Ports.free());
    CleanupExecution execution = execute(nowhere, window);
    CleanupReport report = await(execution);
    assertThat(report.state()).isEqualTo("stopped");
    assertThat(execution.stopReason()).contains("in a row got no answer");
    assertThat(report.pending()).isPositive();
    assertThat(report.failures().keySet())
        .allMatch(reason -> reason.startsWith("cannot connect to 127.0.0.1:"));
    Await.result(nowhere.stop("test"), 30);
  }

  @Test
  void theDemoOrderSystemCancelsAnOrderOnceAndCountsIt() {
    DemoOrderSystem demo = new DemoOrderSystem("127.0.0.1", 0);
    String id = Await.result(vertx.deployVerticle(demo), 30);
    try {
      String base = "http://127.0.0.1:" + demo.actualPort();
      HttpResponse<String> created =
          GatewayHarness.send(
              HttpRequest.newBuilder(URI.create(base + "/orders"))
                  .header("X-Order-Source", "perftest")
                  .POST(HttpRequest.BodyPublishers.ofString("{}")));
      String order = new JsonObject(created.body()).getString("id");
      HttpRequest.Builder cancel =
          HttpRequest.newBuilder(URI.create(base + "/orders/" + order)).DELETE();
      assertThat(GatewayHarness.send(cancel).statusCode()).isEqualTo(204);
      assertThat(GatewayHarness.send(cancel).statusCode()).isEqualTo(404);
      assertThat(
              GatewayHarness.send(
                      HttpRequest.newBuilder(URI.create(base + "/orders/no-such-order")).DELETE())
                  .statusCode())
          .isEqualTo(404);
      JsonObject stats =
          new JsonObject(
              GatewayHarness.send(HttpRequest.newBuilder(URI.create(base + "/orders"))).body());
      assertThat(stats.getLong("cancelled")).isEqualTo(1);
      assertThat(stats.getJsonObject("cancelledBySource").getLong("perftest")).isEqualTo(1);
    } finally {
      Await.result(vertx.undeploy(id), 30);
    }
  }

  // ---- helpers ----

  private static CleanupExecution execute(Cleanups with, CleanupWindow window) {
    return Await.result(with.start(window, 200), 60);
  }

  private static CleanupReport await(CleanupExecution execution) {
    return Await.result(execution.completion(), 120);
  }

  private static List<String> plantOrders(String source, int n) {
    List<String> ids = new ArrayList<>();
    AuditRecord[] rows = new AuditRecord[n];
    for (int i = 0; i < n; i++) {
      ids.add(source + "-" + (i + 1));
      rows[i] = row(source, ids.get(i), "forwarded", "POST", 201, BASE.plusSeconds(i + 1));
    }
    plant(rows);
    return ids;
  }

  private static void plant(AuditRecord... rows) {
    Await.result(new AuditStore(gateway.pool(), "planted").insert(List.of(rows)), 30);
  }

  private static AuditRecord row(
      String source, String orderId, String decision, String method, int status, Instant at) {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
    return new AuditRecord(
        "req-" + source + "-" + orderId + "-" + micros,
        source,
        method,
        "/orders",
        decision,
        status,
        orderId,
        1,
        micros,
        micros + 1000);
  }

  private static List<String> deletesOf(String... prefixes) {
    return orders.deletePaths().stream()
        .filter(
            p ->
                java.util.Arrays.stream(prefixes)
                    .anyMatch(prefix -> p.startsWith("/orders/" + prefix)))
        .toList();
  }

  private static int deletesBefore(String source) {
    return (int)
        orders.deletes().stream()
            .filter(d -> !d.path().startsWith("/orders/" + source + "-"))
            .count();
  }

  private static List<String> ids(JsonArray sample) {
    return sample.stream().map(o -> ((JsonObject) o).getString("orderId")).toList();
  }

  private static HttpResponse<String> opsPost(JsonObject body) {
    return GatewayHarness.send(
        HttpRequest.newBuilder(URI.create(gateway.opsUrl() + "/ops/cleanup"))
            .header("Authorization", "Bearer " + gateway.env().get("ORDERGATE_OPS_TOKEN"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  private static HttpResponse<String> opsPostPath(String path) {
    return GatewayHarness.send(
        HttpRequest.newBuilder(URI.create(gateway.opsUrl() + path))
            .header("Authorization", "Bearer " + gateway.env().get("ORDERGATE_OPS_TOKEN"))
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private static JsonObject postCleanup(JsonObject body, int status) {
    HttpResponse<String> r = opsPost(body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return new JsonObject(r.body());
  }

  private static JsonObject awaitRunEnd(String location) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> r = gateway.ops(location);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonObject json = new JsonObject(r.body());
      if (!"running".equals(json.getString("state"))) {
        return json;
      }
      assertThat(System.nanoTime()).as("run still running: " + json).isLessThan(deadline);
      GatewayHarness.sleep(50);
    }
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      GatewayHarness.sleep(20);
    }
  }
}
