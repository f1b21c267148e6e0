package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.config.Env;
import io.ordergate.db.Database;
import io.ordergate.demo.Demo;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Jar;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart as Kubernetes does it, on the packaged jar: several clients keep sending orders
 * while the gateway gets SIGTERM. Nothing may be lost: every request the gateway took was answered
 * 201, forwarded once and audited; the only failures are refused connections once it stopped
 * listening, after readiness had dropped; and it exits 0.
 */
class SigtermUnderLoadIT {
  private static final int CLIENTS = 6;

  /** One order is held this long by the order system, so the drain visibly lasts a while. */
  private static final long SLOW_ORDER_MILLIS = 4_000;

  private static final long ORDER_MILLIS = 20;

  /** What one client saw for one request: a status, or the exception that ended it. */
  record Outcome(String requestId, int status, Throwable failure, long atNanos) {}

  @Test
  void aSteadyStreamOfOrdersLosesNothingWhenTheGatewayIsStoppedWithSigterm() throws Exception {
    Vertx vertx = Gateway.newVertx();
    Set<String> backendReceived = ConcurrentHashMap.newKeySet();
    HttpServer backend = orderSystem(vertx, backendReceived);
    Map<String, String> env = GatewayHarness.settings("http://127.0.0.1:" + backend.actualPort());
    GatewayHarness.withFlagsFile(env);
    env.put(
        "ORDERGATE_AUDIT_FLUSH_MS", "5000"); // only the shutdown flushes the tail: proves it does
    env.put("ORDERGATE_BACKEND_TIMEOUT_MS", "30000");
    Pool pool = Database.pool(vertx, DatabaseSettings.from(new Env(env)));
    Await.result(Demo.seedSources(pool), 60);

    Path log = Path.of("target", "sigterm-under-load-" + System.nanoTime() + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                Path.of("target", "order-gate.jar").toString(),
                "serve")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process gateway = pb.start();
    String traffic = "http://127.0.0.1:" + env.get("ORDERGATE_HTTP_PORT");
    String ops = "http://127.0.0.1:" + env.get("ORDERGATE_OPS_PORT");
    Jar.awaitReady(ops + "/ready", gateway);

    List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    AtomicBoolean stopClients = new AtomicBoolean();
    AtomicLong sent = new AtomicLong();
    ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 2);
    List<java.util.concurrent.Future<?>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      clients.add(
          threads.submit(
              () -> sendUntilStopped(traffic, "c" + client, outcomes, stopClients, sent)));
    }
    // Readiness as the kubelet sees it: polled on the ops port, first 503 remembered.
    AtomicLong notReadyAtNanos = new AtomicLong(Long.MAX_VALUE);
    List<String> notReadyBodies = new CopyOnWriteArrayList<>();
    var poller =
        threads.submit(
            () -> pollReadiness(ops + "/ready", notReadyAtNanos, notReadyBodies, stopClients));

    awaitAtLeast(outcomes, CLIENTS * 20L, "orders answered before the stop");
    // An order in flight across the SIGTERM, longer than the clients' own: the drain must wait for
    // it.
    var slow =
        threads.submit(
            () ->
                send(
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                    traffic,
                    "slow-order",
                    "{\"slow\":true}"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!backendReceived.contains("slow-order") && System.nanoTime() < deadline) {
      GatewayHarness.sleep(10);
    }
    assertThat(backendReceived)
        .as("the slow order reached the order system before the SIGTERM")
        .contains("slow-order");

    long sigtermAt = System.nanoTime();
    gateway.destroy(); // SIGTERM, as the kubelet sends it after preStop
    assertThat(gateway.waitFor(90, TimeUnit.SECONDS))
        .as("the gateway exits after its drain")
        .isTrue();
    long exitedAt = System.nanoTime();
    // Let the clients see the closed port for a moment, then stop them.
    awaitFailuresAfter(outcomes, exitedAt, CLIENTS);
    stopClients.set(true);
    for (var f : clients) {
      f.get(60, TimeUnit.SECONDS);
    }
    poller.get(60, TimeUnit.SECONDS);
    Outcome slowOutcome = slow.get(60, TimeUnit.SECONDS);
    threads.shutdown();

    List<Outcome> all = new ArrayList<>(outcomes);
    all.add(slowOutcome);
    List<Outcome> answered = all.stream().filter(o -> o.failure() == null).toList();
    List<Outcome> failed = all.stream().filter(o -> o.failure() != null).toList();
    Set<String> answeredIds = answered.stream().map(Outcome::requestId).collect(Collectors.toSet());
    Set<String> failedIds = failed.stream().map(Outcome::requestId).collect(Collectors.toSet());
    String summary =
        answered.size()
            + " answered, "
            + failed.size()
            + " failed ("
            + failed.stream()
                .collect(
                    Collectors.groupingBy(
                        o ->
                            o.failure().getClass().getSimpleName()
                                + ": "
                                + o.failure().getMessage(),
                        Collectors.counting()))
            + "); log "
            + log;
    System.out.println("SIGTERM under load: " + summary);

    assertThat(gateway.exitValue())
        .as("a drained SIGTERM stop is a normal end: " + summary)
        .isZero();
    assertThat(answered)
        .as("every answer was 201: " + summary)
        .allSatisfy(o -> assertThat(o.status()).isEqualTo(201));
    assertThat(slowOutcome.status())
        .as("the order in flight across the SIGTERM finished")
        .isEqualTo(201);

    assertThat(notReadyAtNanos.get())
        .as("/ready turned 503 during the drain")
        .isLessThan(Long.MAX_VALUE);
    assertThat(notReadyBodies.get(0)).contains("draining");
    assertThat(notReadyAtNanos.get()).isGreaterThan(sigtermAt);
    assertThat(answered)
        .as(
            "orders were still served after /ready had turned 503, so readiness dropped before the listener "
                + "closed: "
                + summary)
        .anySatisfy(o -> assertThat(o.atNanos()).isGreaterThan(notReadyAtNanos.get()));
    // A failure is the port closing on the client: refused, or (for a connection accepted in the
    // last
    // instant before the listener closed) closed before the gateway read the request. Never an
    // error
    // status, never a request the gateway had started on (the audit and order-system checks below).
    assertThat(failed)
        .as("clients failed only after readiness dropped, and only at the connection: " + summary)
        .allSatisfy(
            o -> {
              assertThat(o.atNanos()).isGreaterThan(notReadyAtNanos.get());
              assertThat(closedBeforeAnyAnswer(o.failure())).as("%s", o.failure()).isTrue();
            });

    Set<String> audited = auditedRequestIds(pool);
    assertThat(audited)
        .as("every answered order has its audit row, and nothing else was audited: " + summary)
        .isEqualTo(answeredIds);
    assertThat(backendReceived)
        .as("the order system got exactly the answered orders: none of the refused ones")
        .isEqualTo(answeredIds)
        .doesNotContainAnyElementsOf(failedIds);
    assertThat(sent.get()).as("the load went on across the stop").isGreaterThan(CLIENTS * 20L);

    Await.result(pool.close(), 30);
    Await.result(backend.close(), 30);
    Await.result(vertx.close(), 30);
  }

  /**
   * Refused, or a connection that ended before a single byte of answer: the JDK client's words for
   * EOF and RST on an exchange that got nothing back.
   */
  private static boolean closedBeforeAnyAnswer(Throwable failure) {
    if (failure instanceof ConnectException) {
      return true;
    }
    String message = String.valueOf(failure.getMessage());
    return failure instanceof IOException
        && !(failure instanceof java.net.http.HttpTimeoutException)
        && (message.contains("header parser received no bytes")
            || message.contains("Connection reset")
            || message.contains("connection closed locally")
            || message.contains("EOF reached while reading"));
  }

  /** One client: one connection pool of its own, orders back to back until told to stop. */
  private static void sendUntilStopped(
      String traffic, String client, List<Outcome> outcomes, AtomicBoolean stop, AtomicLong sent) {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    int seq = 0;
    // Bounded however the gateway behaves: at most 20,000 orders or 120 s per client.
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!stop.get() && seq < 20_000 && System.nanoTime() < end) {
      sent.incrementAndGet();
      Outcome o = send(http, traffic, client + "-" + seq++, "{\"sku\":\"A-1\",\"qty\":1}");
      outcomes.add(o);
      if (o.failure() != null) {
        GatewayHarness.sleep(20); // a refused client retries, as a real one would, without spinning
      }
    }
  }

  private static Outcome send(HttpClient http, String traffic, String requestId, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(traffic + "/orders"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + Demo.keyOf("web"))
            .header("X-Upstream-Environment", GatewayHarness.ENVIRONMENT)
            .header("X-Request-Id", requestId)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Outcome(requestId, response.statusCode(), null, System.nanoTime());
    } catch (IOException e) {
      return new Outcome(requestId, 0, e, System.nanoTime());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(requestId, 0, e, System.nanoTime());
    }
  }

  private static void pollReadiness(
      String readyUrl, AtomicLong notReadyAt, List<String> bodies, AtomicBoolean stop) {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    while (!stop.get()) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(readyUrl))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 503 && notReadyAt.get() == Long.MAX_VALUE) {
          notReadyAt.set(System.nanoTime());
          bodies.add(new JsonObject(r.body()).getJsonObject("checks").getString("shutdown"));
        }
      } catch (IOException e) {
        // the ops port closes last; nothing to learn from that
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      GatewayHarness.sleep(20);
    }
  }

  /**
   * The order system: answers 201 with an id, holds the order marked slow, remembers each request
   * id.
   */
  private static HttpServer orderSystem(Vertx vertx, Set<String> received) {
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              String id = req.getHeader("X-Request-Id");
                              received.add(id);
                              long delay =
                                  body.toString().contains("\"slow\"")
                                      ? SLOW_ORDER_MILLIS
                                      : ORDER_MILLIS;
                              vertx.setTimer(
                                  delay,
                                  t ->
                                      req.response()
                                          .setStatusCode(201)
                                          .putHeader("Content-Type", "application/json")
                                          .end(new JsonObject().put("id", "ord-" + id).encode()));
                            }));
    return Await.result(server.listen(0, "127.0.0.1"), 30);
  }

  private static Set<String> auditedRequestIds(Pool pool) {
    var rows =
        Await.result(pool.query("SELECT request_id, status, decision FROM audit").execute(), 30);
    Set<String> ids = new HashSet<>();
    for (Row row : rows) {
      assertThat(row.getInteger("status"))
          .as("audited status of %s", row.getString("request_id"))
          .isEqualTo(201);
      assertThat(ids.add(row.getString("request_id")))
          .as("one audit row per request: %s", row.getString("request_id"))
          .isTrue();
    }
    return ids;
  }

  private static void awaitAtLeast(List<Outcome> outcomes, long n, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (outcomes.stream().filter(o -> o.status() == 201).count() < n
        && System.nanoTime() < deadline) {
      GatewayHarness.sleep(20);
    }
    assertThat(outcomes.stream().filter(o -> o.status() == 201).count())
        .as(what)
        .isGreaterThanOrEqualTo(n);
  }

  /** Until each client has likely met the closed port once (bounded: 10 s). */
  private static void awaitFailuresAfter(List<Outcome> outcomes, long afterNanos, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (outcomes.stream().filter(o -> o.failure() != null && o.atNanos() > afterNanos).count()
            < n
        && System.nanoTime() < deadline) {
      GatewayHarness.sleep(20);
    }
  }
}
