package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Gateway;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Ports;
import io.ordergate.support.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The order system failing in each way maps to its own status, and the breaker protects it. */
class BackendFailuresIT {
  /**
   * Exactly one pooled connection to the order system: one event loop, because every event loop has
   * a client (and at least one connection) of its own.
   */
  private static final Map<String, String> ONE_CONNECTION =
      Map.of(
          "ORDERGATE_EVENT_LOOPS",
          "1",
          "ORDERGATE_BACKEND_MAX_CONNECTIONS",
          "1",
          "ORDERGATE_BACKEND_TIMEOUT_MS",
          "300");

  Vertx vertx;
  TestBackend backend;
  GatewayHarness gateway;

  @BeforeEach
  void start() {
    vertx = Gateway.newVertx();
    backend = TestBackend.start(vertx);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    backend.close();
    vertx.close();
  }

  private GatewayHarness gatewayTo(String backendUrl, Map<String, String> extra) {
    var env = GatewayHarness.settings(backendUrl);
    GatewayHarness.withFlagsFile(env);
    env.putAll(extra);
    gateway = GatewayHarness.start(vertx, env);
    return gateway;
  }

  private static String slug(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    return new JsonObject(response.body()).getString("type").replace("/problems/", "");
  }

  @Test
  void unreachableBackendIsBadGateway() {
    gatewayTo("http://127.0.0.1:" + Ports.free(), Map.of());
    HttpResponse<String> response = gateway.order("web");
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(slug(response)).isEqualTo("backend-unreachable");
  }

  @Test
  void keyedOrderThatNeverLeftTheGatewayCanBeRetriedUnderItsKey() {
    gatewayTo("http://127.0.0.1:" + Ports.free(), Map.of());
    String key = java.util.UUID.randomUUID().toString();
    assertThat(
            GatewayHarness.send(gateway.orderRequest("web", "{}").header("Idempotency-Key", key))
                .statusCode())
        .isEqualTo(502);

    HttpResponse<String> retry =
        GatewayHarness.send(gateway.orderRequest("web", "{}").header("Idempotency-Key", key));
    while (retry.statusCode() == 409) { // the key may still be being given back
      GatewayHarness.sleep(50);
      retry = GatewayHarness.send(gateway.orderRequest("web", "{}").header("Idempotency-Key", key));
    }

    assertThat(retry.statusCode()).isEqualTo(502);
    assertThat(retry.headers().firstValue("Idempotent-Replayed"))
        .as("processed anew, not replayed")
        .isEmpty();
  }

  @Test
  void slowBackendIsGatewayTimeout() {
    gatewayTo(backend.url(), Map.of("ORDERGATE_BACKEND_TIMEOUT_MS", "200"));
    backend.delay(2_000);
    HttpResponse<String> response = gateway.order("web");
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(slug(response)).isEqualTo("backend-timeout");
  }

  @Test
  void ordersQueuedForAConnectionAreNotSentAfterTheirDeadline() throws Exception {
    gatewayTo(backend.url(), ONE_CONNECTION);
    backend.delay(1_000);
    java.util.concurrent.ExecutorService clients =
        java.util.concurrent.Executors.newFixedThreadPool(6);
    Map<String, Long> startedAt = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.List<java.util.concurrent.Future<Integer>> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String id = "queued-" + i;
      sent.add(
          clients.submit(
              () -> {
                startedAt.put(id, System.nanoTime());
                return GatewayHarness.send(
                        java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(gateway.trafficUrl() + "/orders"))
                            .header("X-Api-Key", "demo-web-key")
                            .header("X-Upstream-Environment", "production")
                            .header("X-Request-Id", id)
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")))
                    .statusCode();
              }));
    }
    for (var f : sent) {
      assertThat(f.get()).isEqualTo(504);
    }
    GatewayHarness.sleep(1_500); // long enough for late sends to show up at the backend
    // How many were sent depends on how far apart they reached the pool (each may take the
    // connection the one before it gave up); what matters is that none was sent late.
    assertThat(backend.received()).isNotEmpty();
    for (TestBackend.Received r : backend.received()) {
      String id = r.headers().get("X-Request-Id");
      long afterStartMillis = (r.atNanos() - startedAt.get(id)) / 1_000_000;
      // Sent within its 300 ms deadline; a generous margin for a slow machine. A queued request
      // sent
      // late waits for the one before it to finish (1 s at this backend), far beyond this bound.
      assertThat(afterStartMillis)
          .as("%s reached the order system %d ms after it was sent", id, afterStartMillis)
          .isLessThan(800);
    }
    clients.shutdown();
  }

  @Test
  void keyedOrdersThatTimedOutWaitingForAConnectionCanBeRetriedAndNoneIsPlacedTwice()
      throws Exception {
    gatewayTo(backend.url(), ONE_CONNECTION);
    // Whether an order waits out its deadline in the pool or takes the connection the one before
    // it gave up depends on how far apart the six reach the pool (their keys are claimed in the
    // database first). A round where every order was sent proves nothing about the retry of an
    // unsent one, so rounds repeat, with fresh keys, until one has an order that never left.
    int placedOnRetry = 0;
    for (int round = 0; round < 5 && placedOnRetry == 0; round++) {
      placedOnRetry = timedOutRoundThenRetries(round);
    }
    assertThat(placedOnRetry)
        .as("orders that never left the gateway are placed by their retry")
        .isPositive();
  }

  /** Six keyed orders time out behind one connection; returns how many retries were placed. */
  private int timedOutRoundThenRetries(int round) throws Exception {
    backend.delay(1_000);
    java.util.concurrent.ExecutorService clients =
        java.util.concurrent.Executors.newFixedThreadPool(6);
    java.util.List<java.util.concurrent.Future<Integer>> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int n = round * 10 + i;
      sent.add(clients.submit(() -> GatewayHarness.send(keyed(n)).statusCode()));
    }
    for (var f : sent) {
      assertThat(f.get()).isEqualTo(504);
    }
    clients.shutdown();
    GatewayHarness.sleep(1_500); // long enough for late sends to show up at the backend
    backend.delay(0);

    int placedOnRetry = 0;
    for (int i = 0; i < 6; i++) {
      int n = round * 10 + i;
      HttpResponse<String> retry = GatewayHarness.send(keyed(n));
      while (retry.statusCode() == 409) { // the first attempt's key may still be being settled
        GatewayHarness.sleep(50);
        retry = GatewayHarness.send(keyed(n));
      }
      String body = "{\"queued\":" + n + "}";
      long received = backend.received().stream().filter(r -> r.body().equals(body)).count();
      if (retry.headers().firstValue("Idempotent-Replayed").isPresent()) {
        assertThat(retry.statusCode()).isEqualTo(504);
      } else {
        assertThat(retry.statusCode()).isEqualTo(201);
        placedOnRetry++;
      }
      assertThat(received)
          .as("order %d reached the order system at most once", n)
          .isLessThanOrEqualTo(1);
    }
    return placedOnRetry;
  }

  private HttpRequest.Builder keyed(int n) {
    return gateway
        .orderRequest("web", "{\"queued\":" + n + "}")
        .header("Idempotency-Key", "queued-key-" + n);
  }

  /** Failures from several sources say the order system itself is unwell: everyone is cut off. */
  @Test
  void repeatedFailuresOpenTheBreakerAndItRefusesWithoutCallingTheBackend() {
    gatewayTo(
        backend.url(),
        Map.of(
            "ORDERGATE_BREAKER_MINIMUM_CALLS", "5",
            "ORDERGATE_BREAKER_WINDOW", "10",
            "ORDERGATE_BREAKER_OPEN_MS", "60000"));
    backend.answerWith(503);
    for (String source : new String[] {"web", "partner"}) {
      for (int i = 0; i < 5; i++) {
        assertThat(gateway.order(source).statusCode())
            .isEqualTo(503); // the backend's own 503, passed through
      }
    }
    int calls = backend.received().size();
    HttpResponse<String> refused = gateway.order("mobile");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(slug(refused)).isEqualTo("backend-circuit-open");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(backend.received()).hasSize(calls);
    assertThat(gateway.ops("/metrics").body())
        .contains("resilience4j_circuitbreaker_state{name=\"order-backend\",state=\"open\"} 1.0");
  }

  /** Failures of one source's orders cut off that source only. */
  @Test
  void failuresOfOneSourceOpenItsOwnBreakerOnly() {
    gatewayTo(
        backend.url(),
        Map.of(
            "ORDERGATE_BREAKER_MINIMUM_CALLS", "5",
            "ORDERGATE_BREAKER_WINDOW", "10",
            "ORDERGATE_BREAKER_OPEN_MS", "60000"));
    backend.answerWith("perftest", 503);
    for (int i = 0; i < 5; i++) {
      assertThat(gateway.order("perftest").statusCode()).isEqualTo(503);
      assertThat(gateway.order("web").statusCode()).isEqualTo(201);
    }
    int calls = backend.received().size();
    HttpResponse<String> refused = gateway.order("perftest");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(slug(refused)).isEqualTo("source-breaker-open");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(backend.received()).as("refused without calling the order system").hasSize(calls);
    for (String other : new String[] {"web", "mobile", "partner"}) {
      for (int i = 0; i < 5; i++) {
        assertThat(gateway.order(other).statusCode()).as(other).isEqualTo(201);
      }
    }
    String metrics = gateway.ops("/metrics").body();
    assertThat(metrics)
        .contains(
            "resilience4j_circuitbreaker_state{name=\"order-source.perftest\",state=\"open\"} 1.0")
        .contains("resilience4j_circuitbreaker_state{name=\"order-backend\",state=\"closed\"} 1.0")
        .contains(
            "ordergate_requests_total{decision=\"source-breaker-open\",source=\"perftest\"} 1.0");
  }

  @Test
  void backendErrorsForOneOrderDoNotOpenTheBreaker() {
    gatewayTo(
        backend.url(),
        Map.of("ORDERGATE_BREAKER_MINIMUM_CALLS", "5", "ORDERGATE_BREAKER_WINDOW", "10"));
    backend.answerWith(500);
    for (int i = 0; i < 10; i++) {
      assertThat(gateway.order("web").statusCode()).isEqualTo(500);
    }
    backend.answerWith(201);
    assertThat(gateway.order("web").statusCode()).isEqualTo(201);
  }

  @Test
  void backendStatusesAndHeadersPassThrough() {
    gatewayTo(backend.url(), Map.of());
    backend.answerWith(409);
    HttpResponse<String> response = gateway.order("partner");
    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(response.headers().firstValue("X-Backend")).hasValue("test");
    assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(new JsonObject(response.body()).getString("source")).isEqualTo("partner");
  }
}
