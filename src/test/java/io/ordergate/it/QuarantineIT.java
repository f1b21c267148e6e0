package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.demo.Demo;
import io.ordergate.demo.UnleashServer;
import io.ordergate.flags.UnleashAdmin;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestBackend;
import io.ordergate.support.TestStack;
import io.ordergate.support.TestUnleash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A source switched to the variant {@code quarantine} in the real Unleash server: its orders are
 * held and answered 202, then released (each once, in arrival order) or discarded, through the ops
 * API and the packaged jar.
 */
class QuarantineIT {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(QuarantineIT.class);
  static final String FLAG = "order-source.perftest";
  static UnleashAdmin admin;
  static TestStack stack;
  static GatewayHarness gateway;
  static TestBackend backend;

  /** An order the test sent and the gateway held. */
  record Held(long id, String requestId, int n) {}

  @BeforeAll
  static void start() {
    UnleashServer unleash = TestUnleash.shared();
    admin = TestUnleash.admin(unleash);
    stack = TestStack.withUnleash(unleash);
    gateway = stack.gateway;
    backend = stack.backend;
    admin.setVariant(FLAG, "quarantine", null);
    gateway.awaitOrderStatus("perftest", 202);
  }

  @AfterAll
  static void stop() {
    admin.setVariant(FLAG, null, null);
    stack.close();
  }

  /** Each test starts with nothing held, whatever the one before left. */
  @BeforeEach
  void discardLeftovers() {
    sql(
        "UPDATE quarantine SET state = 'discarded', reason = 'test reset' WHERE state IN ('held', 'in_doubt')");
  }

  @Test
  void quarantinedOrdersAreHeldThenReleasedOnceInArrivalOrderWithTheirHeadersAndBody() {
    int backendBefore = backend.received().size();
    List<Held> held = hold(5);
    assertThat(gateway.order("web").statusCode()).isEqualTo(201);
    assertThat(perftestAtBackend(backendBefore))
        .as("no held order reaches the order system")
        .isEmpty();

    JsonObject list = json(gateway.ops("/ops/quarantine?source=perftest&state=held"));
    assertThat(
            list.getJsonArray("orders").stream().map(o -> ((JsonObject) o).getLong("id")).toList())
        .containsExactlyElementsOf(held.stream().map(Held::id).toList());
    assertThat(list.getJsonObject("counts").getJsonObject("perftest").getLong("held")).isEqualTo(5);
    assertThat(gateway.ops("/ops/quarantine?source=perftest&limit=2").body())
        .contains("\"nextAfter\"");
    awaitMetric("ordergate_quarantine_orders_held{source=\"perftest\"} 5.0");

    HttpResponse<String> started =
        opsPost(
            "/ops/quarantine/release",
            new JsonObject()
                .put("source", "perftest")
                .put("reason", "false alarm, INC-42")
                .put("ratePerSecond", 50));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    assertThat(json(started).getString("note")).contains("still quarantined").contains("revive ");
    JsonObject job = awaitJob(started.headers().firstValue("Location").orElseThrow());
    assertThat(job.getString("state")).isEqualTo("finished");
    assertThat(job.getLong("total")).isEqualTo(5);
    assertThat(job.getLong("sent")).isEqualTo(5);
    assertThat(job.getJsonObject("releasedByStatus").getLong("201")).isEqualTo(5);

    List<TestBackend.Received> got = perftestAtBackend(backendBefore);
    assertThat(got.stream().map(r -> r.headers().get("X-Request-Id")).toList())
        .as("each exactly once, in arrival order")
        .containsExactlyElementsOf(held.stream().map(Held::requestId).toList());
    for (int i = 0; i < held.size(); i++) {
      TestBackend.Received r = got.get(i);
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.uri()).isEqualTo("/orders?channel=test");
      assertThat(r.body()).isEqualTo(body(held.get(i).n()));
      assertThat(r.headers().get("X-Trace")).isEqualTo("trace-" + held.get(i).n());
      assertThat(r.headers().get("X-Order-Source")).isEqualTo("perftest");
      assertThat(r.headers().get("Authorization")).isNull();
    }
    List<Row> rows =
        sql(
            "SELECT state, reason, backend_status, backend_order_id FROM quarantine WHERE id = ANY($1) ORDER BY id",
            Tuple.of(held.stream().map(Held::id).toArray(Long[]::new)));
    assertThat(rows)
        .allSatisfy(
            r -> {
              assertThat(r.getString(0)).isEqualTo("released");
              assertThat(r.getString(1)).isEqualTo("false alarm, INC-42");
              assertThat(r.getInteger(2)).isEqualTo(201);
              assertThat(r.getString(3)).startsWith("ord-");
            });
    awaitRows(
        "SELECT count(*) FROM audit WHERE decision = 'released' AND source_id = 'perftest' AND status = 201 "
            + "AND backend_order_id IS NOT NULL AND request_id = ANY($1)",
        Tuple.of(held.stream().map(Held::requestId).toArray(String[]::new)),
        5);
    assertThat(metrics())
        .containsPattern("ordergate_quarantine_held_total\\{source=\"perftest\"}")
        .containsPattern(
            "ordergate_quarantine_released_total\\{outcome=\"2xx\",source=\"perftest\"}");
  }

  @Test
  void discardRecordsTheReasonAndSendsNothing() {
    int backendBefore = backend.received().size();
    List<Held> held = hold(3);
    HttpResponse<String> some =
        opsPost(
            "/ops/quarantine/discard",
            new JsonObject()
                .put("ids", new JsonArray().add(held.get(0).id()).add(held.get(1).id()))
                .put("reason", "bogus test orders"));
    assertThat(some.statusCode()).as(some.body()).isEqualTo(200);
    assertThat(json(some).getLong("discarded")).isEqualTo(2);
    HttpResponse<String> rest =
        opsPost(
            "/ops/quarantine/discard",
            new JsonObject().put("source", "perftest").put("reason", "the rest too"));
    assertThat(json(rest).getLong("discarded")).isEqualTo(1);

    List<Row> rows =
        sql(
            "SELECT state, reason, decided_at FROM quarantine WHERE id = ANY($1) ORDER BY id",
            Tuple.of(held.stream().map(Held::id).toArray(Long[]::new)));
    assertThat(rows).extracting(r -> r.getString(0)).containsOnly("discarded");
    assertThat(rows)
        .extracting(r -> r.getString(1))
        .containsExactly("bogus test orders", "bogus test orders", "the rest too");
    assertThat(rows).allSatisfy(r -> assertThat(r.getOffsetDateTime(2)).isNotNull());
    HttpResponse<String> nothing =
        opsPost(
            "/ops/quarantine/release",
            new JsonObject().put("source", "perftest").put("reason", "x"));
    assertThat(new JsonObject(nothing.body()).getString("nothing")).contains("nothing to send");
    assertThat(awaitJob(nothing.headers().firstValue("Location").orElseThrow()).getLong("sent"))
        .isZero();
    assertThat(perftestAtBackend(backendBefore)).isEmpty();
  }

  @Test
  void aDiscardTakesOnlyTheOrdersCountedWhenItWasConfirmed() {
    List<Held> counted = hold(2);
    io.ordergate.quarantine.QuarantineStore store =
        new io.ordergate.quarantine.QuarantineStore(gateway.pool(), "test");
    io.ordergate.quarantine.Selection selection =
        new io.ordergate.quarantine.Selection("perftest", List.of(), "bogus, as counted");
    // What `quarantine discard` counts and asks the operator about ...
    long[] snapshot = Await.result(store.snapshot(gateway.pool(), selection), 30);
    assertThat(snapshot[0]).isEqualTo(2);
    // ... while the source, still held, sends another order, perhaps a real one.
    List<Held> later = hold(1);

    Map<String, Long> done =
        Await.result(store.discard(selection, java.time.Instant.now(), snapshot[1]), 30);

    assertThat(done).containsExactly(Map.entry("perftest", 2L));
    assertThat(sql("SELECT state FROM quarantine WHERE id = $1", Tuple.of(later.get(0).id())))
        .extracting(r -> r.getString(0))
        .containsExactly("held");
    assertThat(
            sql(
                "SELECT state FROM quarantine WHERE id = ANY($1)",
                Tuple.of(counted.stream().map(Held::id).toArray(Long[]::new))))
        .extracting(r -> r.getString(0))
        .containsOnly("discarded");
  }

  @Test
  void anInterruptedReleaseResumesWithoutSendingAnyOrderTwice() {
    int backendBefore = backend.received().size();
    List<Held> held = hold(6);
    // What a release killed between claiming and recording leaves behind: its one order
    // 'releasing'.
    sql("UPDATE quarantine SET state = 'releasing' WHERE id = $1", Tuple.of(held.get(0).id()));

    HttpResponse<String> first =
        opsPost(
            "/ops/quarantine/release",
            new JsonObject()
                .put("source", "perftest")
                .put("reason", "resume test")
                .put("ratePerSecond", 1));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    HttpResponse<String> concurrent =
        opsPost(
            "/ops/quarantine/release",
            new JsonObject().put("source", "perftest").put("reason", "again"));
    assertThat(concurrent.statusCode()).as("one releaser per source").isEqualTo(409);
    assertThat(json(concurrent).getString("type")).endsWith("quarantine-release-running");

    String location = first.headers().firstValue("Location").orElseThrow();
    awaitBackend(backendBefore, 2);
    assertThat(opsPost(location + "/stop", new JsonObject()).statusCode()).isEqualTo(202);
    JsonObject stopped = awaitJob(location);
    assertThat(stopped.getLong("interruptedFound")).isEqualTo(1);
    assertThat(stopped.getLong("total")).isEqualTo(5);

    HttpResponse<String> resumed =
        opsPost(
            "/ops/quarantine/release",
            new JsonObject().put("source", "perftest").put("reason", "resume test"));
    JsonObject done = awaitJob(resumed.headers().firstValue("Location").orElseThrow());
    assertThat(done.getString("state")).isEqualTo("finished");
    assertThat(stopped.getLong("sent") + done.getLong("sent")).isEqualTo(5);

    List<String> sentIds =
        perftestAtBackend(backendBefore).stream()
            .map(r -> r.headers().get("X-Request-Id"))
            .toList();
    assertThat(sentIds)
        .doesNotHaveDuplicates()
        .containsExactlyElementsOf(held.subList(1, 6).stream().map(Held::requestId).toList());
    assertThat(
            sql("SELECT state FROM quarantine WHERE id = $1", Tuple.of(held.get(0).id()))
                .get(0)
                .getString(0))
        .isEqualTo("in_doubt");
    assertThat(
            json(gateway.ops("/ops/quarantine?source=perftest&state=in_doubt"))
                .getJsonArray("orders"))
        .hasSize(1);

    // Ops decide the order in doubt never arrived: naming it resends it, once.
    HttpResponse<String> explicit =
        opsPost(
            "/ops/quarantine/release",
            new JsonObject()
                .put("ids", new JsonArray().add(held.get(0).id()))
                .put("reason", "checked: never arrived"));
    assertThat(awaitJob(explicit.headers().firstValue("Location").orElseThrow()).getLong("sent"))
        .isEqualTo(1);
    assertThat(perftestAtBackend(backendBefore).stream().map(r -> r.headers().get("X-Request-Id")))
        .doesNotHaveDuplicates()
        .hasSize(6)
        .contains(held.get(0).requestId());
  }

  @Test
  void opsApiNeedsTheTokenAndRefusesBadRequestsAsProblems() {
    HttpResponse<String> anonymous =
        GatewayHarness.send(
            HttpRequest.newBuilder(URI.create(gateway.opsUrl() + "/ops/quarantine")));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    Map<JsonObject, String> bad =
        Map.of(
            new JsonObject().put("source", "perftest"), "reason",
            new JsonObject().put("reason", "why"), "source",
            new JsonObject().put("source", "perftest").put("reason", "r").put("ratePerSecond", 0),
                "ratePerSecond",
            new JsonObject().put("ids", new JsonArray().add("x")).put("reason", "r"), "ids");
    bad.forEach(
        (body, mentions) -> {
          HttpResponse<String> r = opsPost("/ops/quarantine/release", body);
          assertThat(r.statusCode()).as(body.encode()).isEqualTo(400);
          assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
          assertThat(json(r).getString("detail")).as(body.encode()).contains(mentions);
        });
    assertThat(
            opsPost("/ops/quarantine/discard", new JsonObject().put("source", "perftest"))
                .statusCode())
        .isEqualTo(400);
    assertThat(gateway.ops("/ops/quarantine?state=lost").statusCode()).isEqualTo(400);
    assertThat(gateway.ops("/ops/quarantine?since=yesterday").statusCode()).isEqualTo(400);
    HttpResponse<String> noJob = gateway.ops("/ops/quarantine/jobs/nope");
    assertThat(noJob.statusCode()).isEqualTo(404);
    assertThat(json(noJob).getString("type")).endsWith("quarantine-job-not-found");
  }

  @Test
  void commandLineListsAndReleasesHeldOrdersAndNeverResendsOneInDoubt() throws Exception {
    int backendBefore = backend.received().size();
    List<Held> held = hold(3);
    Map<String, String> env = new HashMap<>();
    env.put("ORDERGATE_DATABASE_URL", gateway.env().get("ORDERGATE_DATABASE_URL"));
    env.put("ORDERGATE_BACKEND_URL", backend.url());

    CommandLineIT.Run list =
        CommandLineIT.jar(env, "quarantine", "list", "--source", "perftest", "--state", "held");
    LOG.info("quarantine list:\n{}", list.out());
    assertThat(list.exit()).as(list.out()).isZero();
    assertThat(list.out()).contains(held.get(0).requestId()).contains(held.get(2).requestId());

    // Order system unreachable: the order provably never left, so it is held again and the release
    // stops.
    Map<String, String> unreachable = new HashMap<>(env);
    unreachable.put(
        "ORDERGATE_BACKEND_URL", "http://127.0.0.1:" + io.ordergate.support.Ports.free());
    CommandLineIT.Run refused =
        CommandLineIT.jar(
            unreachable, "quarantine", "release", "--source", "perftest", "--reason", "cli test");
    LOG.info("quarantine release, order system down:\n{}", refused.out());
    assertThat(refused.exit()).as(refused.out()).isEqualTo(2);
    assertThat(refused.out())
        .contains("not sent")
        .containsPattern(
            "resume with: java -jar \\S*order-gate\\.jar quarantine release --source perftest --reason 'cli test'");
    assertThat(
            sql(
                    "SELECT count(*) FROM quarantine WHERE state = 'held' AND id = ANY($1)",
                    Tuple.of(held.stream().map(Held::id).toArray(Long[]::new)))
                .get(0)
                .getLong(0))
        .isEqualTo(3);

    // No answer in time: the order may have arrived, so it is in doubt and never sent again by
    // itself.
    Map<String, String> impatient = new HashMap<>(env);
    impatient.put("ORDERGATE_BACKEND_TIMEOUT_MS", "300");
    backend.delay(1_500);
    CommandLineIT.Run slow;
    try {
      slow =
          CommandLineIT.jar(
              impatient,
              "quarantine",
              "release",
              "--source",
              "perftest",
              "--ids",
              Long.toString(held.get(0).id()),
              "--reason",
              "cli test");
    } finally {
      backend.delay(0);
    }
    LOG.info("quarantine release, order system too slow:\n{}", slow.out());
    assertThat(slow.exit()).as(slow.out()).isZero();
    assertThat(slow.out()).containsPattern("in_doubt\\s*:\\s*1");
    assertThat(
            sql("SELECT state FROM quarantine WHERE id = $1", Tuple.of(held.get(0).id()))
                .get(0)
                .getString(0))
        .isEqualTo("in_doubt");

    CommandLineIT.Run release =
        CommandLineIT.jar(
            env,
            "quarantine",
            "release",
            "--source",
            "perftest",
            "--reason",
            "cli test",
            "--rate",
            "50",
            "--yes");
    LOG.info("quarantine release:\n{}", release.out());
    assertThat(release.exit()).as(release.out()).isZero();
    assertThat(release.out()).contains("2/2").containsPattern("released\\s*:\\s*2").contains("2xx");
    assertThat(
            perftestAtBackend(backendBefore).stream()
                .map(r -> r.headers().get("X-Request-Id"))
                .toList())
        .as("the order in doubt reached the slow order system once, and was not sent again")
        .containsExactlyElementsOf(held.stream().map(Held::requestId).toList());
    awaitRows(
        "SELECT count(*) FROM audit WHERE decision = 'release-in-doubt' AND request_id = $1",
        Tuple.of(held.get(0).requestId()),
        1);

    CommandLineIT.Run noReason =
        CommandLineIT.jar(env, "quarantine", "discard", "--source", "perftest");
    assertThat(noReason.exit()).isEqualTo(2);
    long late = hold(1).get(0).id();
    CommandLineIT.Run discard =
        CommandLineIT.jar(
            env, "quarantine", "discard", "--source", "perftest", "--reason", "late test order");
    assertThat(discard.exit()).as(discard.out()).isZero();
    assertThat(discard.out()).contains("Discarded 1 order(s)");
    assertThat(
            sql("SELECT state, reason FROM quarantine WHERE id = $1", Tuple.of(late))
                .get(0)
                .getString(1))
        .isEqualTo("late test order");
  }

  @Test
  void commandLineStopsAfterTheCurrentOrderOnASignalAndResumesWithoutResending() throws Exception {
    int backendBefore = backend.received().size();
    List<Held> held = hold(6);
    Map<String, String> env =
        Map.of(
            "ORDERGATE_DATABASE_URL",
            gateway.env().get("ORDERGATE_DATABASE_URL"),
            "ORDERGATE_BACKEND_URL",
            backend.url());
    Process release =
        CommandLineIT.start(
            env,
            "quarantine",
            "release",
            "--source",
            "perftest",
            "--reason",
            "signal test",
            "--rate",
            "1");
    awaitBackend(backendBefore, 2);
    // SIGTERM runs the same shutdown hook as Ctrl-C (SIGINT). Through the handle, not
    // Process.destroy(),
    // which would also close the pipe the summary comes through.
    release.toHandle().destroy();
    String out =
        new String(
            release.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(release.waitFor(60, TimeUnit.SECONDS)).isTrue();
    LOG.info("quarantine release, stopped by a signal:\n{}", out);
    assertThat(out)
        .contains("Stopped: interrupted")
        .containsPattern(
            "resume with: java -jar \\S*order-gate\\.jar quarantine release --source perftest --reason 'signal test'\\n");

    CommandLineIT.Run resumed =
        CommandLineIT.jar(
            env,
            "quarantine",
            "release",
            "--source",
            "perftest",
            "--reason",
            "signal test",
            "--rate",
            "50");
    assertThat(resumed.exit()).as(resumed.out()).isZero();
    assertThat(
            perftestAtBackend(backendBefore).stream()
                .map(r -> r.headers().get("X-Request-Id"))
                .toList())
        .containsExactlyElementsOf(held.stream().map(Held::requestId).toList());
    assertThat(
            sql(
                    "SELECT count(*) FROM quarantine WHERE state = 'released' AND id = ANY($1)",
                    Tuple.of(held.stream().map(Held::id).toArray(Long[]::new)))
                .get(0)
                .getLong(0))
        .isEqualTo(6);
  }

  // ---- helpers ----

  private static String body(int n) {
    return "{\"sku\":\"Q-" + n + "\",\"qty\":" + n + "}";
  }

  /** Sends {@code n} orders as perftest; each must be held (202). */
  private static List<Held> hold(int n) {
    List<Held> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      HttpResponse<String> r =
          GatewayHarness.send(
              HttpRequest.newBuilder(URI.create(gateway.trafficUrl() + "/orders?channel=test"))
                  .header("Authorization", "Bearer " + Demo.keyOf("perftest"))
                  .header("X-Upstream-Environment", GatewayHarness.ENVIRONMENT)
                  .header("Content-Type", "application/json")
                  .header("X-Trace", "trace-" + i)
                  .POST(HttpRequest.BodyPublishers.ofString(body(i))));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      JsonObject b = new JsonObject(r.body());
      assertThat(b.getString("status")).isEqualTo("quarantined");
      out.add(new Held(b.getLong("quarantineId"), b.getString("requestId"), i));
    }
    return out;
  }

  private static List<TestBackend.Received> perftestAtBackend(int from) {
    List<TestBackend.Received> all = backend.received();
    return all.subList(from, all.size()).stream()
        .filter(r -> "perftest".equals(r.headers().get("X-Order-Source")))
        .toList();
  }

  private static void awaitBackend(int from, int perftestOrders) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (perftestAtBackend(from).size() < perftestOrders && System.nanoTime() < end) {
      GatewayHarness.sleep(20);
    }
    assertThat(perftestAtBackend(from).size()).isGreaterThanOrEqualTo(perftestOrders);
  }

  /**
   * Waits (bounded) until the Prometheus text holds the line: gauges refresh with the periodic
   * database check.
   */
  private static void awaitMetric(String line) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String text = "";
    while (System.nanoTime() < end && !(text = metrics()).contains(line)) {
      GatewayHarness.sleep(100);
    }
    assertThat(text).contains(line);
  }

  private static String metrics() {
    return GatewayHarness.send(HttpRequest.newBuilder(URI.create(gateway.opsUrl() + "/metrics")))
        .body();
  }

  /** Polls a release job until it is no longer running (bounded); returns its final state. */
  private static JsonObject awaitJob(String location) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonObject job = json(gateway.ops(location));
    while ("running".equals(job.getString("state")) && System.nanoTime() < end) {
      GatewayHarness.sleep(50);
      job = json(gateway.ops(location));
    }
    assertThat(job.getString("state")).as(job.encode()).isNotEqualTo("running");
    return job;
  }

  private static HttpResponse<String> opsPost(String path, JsonObject body) {
    return GatewayHarness.send(
        HttpRequest.newBuilder(URI.create(gateway.opsUrl() + path))
            .header("Authorization", "Bearer " + gateway.env().get("ORDERGATE_OPS_TOKEN"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  private static JsonObject json(HttpResponse<String> response) {
    return json(response.body());
  }

  private static JsonObject json(String body) {
    return new JsonObject(body);
  }

  private static List<Row> sql(String sql) {
    return sql(sql, Tuple.tuple());
  }

  private static List<Row> sql(String sql, Tuple args) {
    return Await.result(
        gateway
            .pool()
            .preparedQuery(sql)
            .execute(args)
            .map(
                rows -> {
                  List<Row> out = new ArrayList<>();
                  rows.forEach(out::add);
                  return out;
                }),
        30);
  }

  private static void awaitRows(String countSql, Tuple args, long expected) {
    Function<Void, Long> count = v -> sql(countSql, args).get(0).getLong(0);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (count.apply(null) < expected && System.nanoTime() < end) {
      GatewayHarness.sleep(50);
    }
    assertThat(count.apply(null)).isEqualTo(expected);
  }
}
