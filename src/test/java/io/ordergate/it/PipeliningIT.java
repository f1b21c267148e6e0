package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.PipelineBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream pipelining (ORDERGATE_BACKEND_PIPELINING_LIMIT) against an order system on a real socket
 * that reads the pipelined requests as they come: a slow order and a connection closed with
 * requests unanswered end every request once (forwarded, or in doubt), audited once, never sent
 * twice, and their idempotency keys replay that outcome.
 */
class PipeliningIT {
  private static final int ORDERS = 6;
  private static final long TIME_LIMIT_MS = 400;

  Vertx vertx;
  PipelineBackend backend;
  GatewayHarness gateway;

  @BeforeEach
  void start() {
    vertx = Gateway.newVertx();
    backend = PipelineBackend.start(vertx);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    backend.close();
    vertx.close();
  }

  /** One event loop and one connection, so concurrent orders are pipelined on it. */
  private void gatewayWithOnePipelinedConnection() {
    Map<String, String> env = GatewayHarness.settings(backend.url());
    GatewayHarness.withFlagsFile(env);
    env.putAll(
        Map.of(
            "ORDERGATE_EVENT_LOOPS", "1",
            "ORDERGATE_BACKEND_MAX_CONNECTIONS", "1",
            "ORDERGATE_BACKEND_PIPELINING_LIMIT", "8",
            "ORDERGATE_BACKEND_TIMEOUT_MS", Long.toString(TIME_LIMIT_MS)));
    gateway = GatewayHarness.start(vertx, env);
  }

  @Test
  void ordersPipelinedBehindASlowOneEndWithinTheTimeLimitInDoubtAndAreNeverResent()
      throws Exception {
    backend.slowHead(3_000);
    gatewayWithOnePipelinedConnection();
    String round = UUID.randomUUID().toString().substring(0, 8);

    long start = System.nanoTime();
    Map<String, HttpResponse<String>> outcomes = sendTogether(round);
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(tookMillis)
        .as("head-of-line blocking is bounded by the time limit, not the slow order")
        .isLessThan(2_500);
    assertThat(backend.received()).as("pipelined on one connection").hasSize(ORDERS);
    for (var e : outcomes.entrySet()) {
      // The slow one times out (504); the ones behind it end when its reset closes the connection.
      assertThat(e.getValue().statusCode()).as(e.getKey()).isIn(502, 504);
      if (e.getValue().statusCode() == 502) {
        assertThat(new JsonObject(e.getValue().body()).getString("detail"))
            .contains("pipelined")
            .contains("may have been taken");
      }
    }
    assertThat(outcomes.values()).anyMatch(r -> r.statusCode() == 504);
    everyOrderReachedTheOrderSystemOnceAndIsAuditedOnce(outcomes);
    keysReplayTheirOutcome(outcomes);

    assertThat(GatewayHarness.send(gateway.orderRequest("web", "{}")).statusCode())
        .as("a fresh connection serves the next order")
        .isEqualTo(201);
  }

  @Test
  void aConnectionClosedWithPipelinedOrdersUnansweredForwardsTheAnsweredAndLeavesTheRestInDoubt()
      throws Exception {
    // Each answer waits, so the six arrive on the connection before the first answer leaves.
    backend.delay(250).closeFirstConnectionAfter(3);
    gatewayWithOnePipelinedConnection();
    String round = UUID.randomUUID().toString().substring(0, 8);

    Map<String, HttpResponse<String>> outcomes = sendTogether(round);

    List<String> answered = backend.answered();
    for (var e : outcomes.entrySet()) {
      if (answered.contains(e.getKey())) {
        assertThat(e.getValue().statusCode()).as(e.getKey() + " was answered").isEqualTo(201);
      } else {
        assertThat(e.getValue().statusCode()).as(e.getKey() + " was not answered").isEqualTo(502);
        assertThat(new JsonObject(e.getValue().body()).getString("detail"))
            .contains("pipelined")
            .contains("may have been taken");
      }
    }
    long inDoubt = outcomes.values().stream().filter(r -> r.statusCode() == 502).count();
    assertThat(inDoubt).as("the close left pipelined orders unanswered").isPositive();
    everyOrderReachedTheOrderSystemOnceAndIsAuditedOnce(outcomes);
    keysReplayTheirOutcome(outcomes);
  }

  /** Sends the round's orders at once, each with its own request id and idempotency key. */
  private Map<String, HttpResponse<String>> sendTogether(String round) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(ORDERS);
    Map<String, Future<HttpResponse<String>>> sent = new HashMap<>();
    for (int i = 0; i < ORDERS; i++) {
      String id = round + "-" + i;
      sent.put(id, clients.submit(() -> GatewayHarness.send(keyed(id))));
    }
    Map<String, HttpResponse<String>> outcomes = new HashMap<>();
    for (var e : sent.entrySet()) {
      outcomes.put(e.getKey(), e.getValue().get());
    }
    clients.shutdown();
    return outcomes;
  }

  private HttpRequest.Builder keyed(String id) {
    return gateway
        .orderRequest("web", "{\"order\":\"" + id + "\"}")
        .header("X-Request-Id", id)
        .header("Idempotency-Key", "key-" + id);
  }

  private void everyOrderReachedTheOrderSystemOnceAndIsAuditedOnce(
      Map<String, HttpResponse<String>> outcomes) {
    GatewayHarness.sleep(1_000); // long enough for a resend to show up at the order system
    for (String id : outcomes.keySet()) {
      assertThat(backend.received().stream().filter(r -> id.equals(r.requestId())).count())
          .as("%s reached the order system exactly once (never resent)", id)
          .isEqualTo(1);
    }
    gateway.awaitAuditRows(outcomes.size(), Duration.ofSeconds(10));
    for (var e : outcomes.entrySet()) {
      List<Row> rows = auditRows(e.getKey());
      assertThat(rows).as("audit rows of %s", e.getKey()).hasSize(1);
      int status = e.getValue().statusCode();
      assertThat(rows.get(0).getInteger("status")).isEqualTo(status);
      assertThat(rows.get(0).getString("decision"))
          .isEqualTo(
              switch (status) {
                case 201 -> "forwarded";
                case 504 -> "backend-timeout";
                default -> "backend-unreachable";
              });
    }
  }

  private List<Row> auditRows(String requestId) {
    List<Row> rows = new ArrayList<>();
    Await.result(
            gateway
                .pool()
                .preparedQuery("SELECT decision, status FROM audit WHERE request_id = $1")
                .execute(Tuple.of(requestId)),
            30)
        .forEach(rows::add);
    return rows;
  }

  /** A key replays what its order got (placed or in doubt); nothing reaches the order system. */
  private void keysReplayTheirOutcome(Map<String, HttpResponse<String>> outcomes) {
    int before = backend.received().size();
    for (var e : outcomes.entrySet()) {
      HttpResponse<String> retry = GatewayHarness.send(keyed(e.getKey() + "-retry-id", e.getKey()));
      while (retry.statusCode() == 409) { // the first attempt's key may still be being settled
        GatewayHarness.sleep(50);
        retry = GatewayHarness.send(keyed(e.getKey() + "-retry-id", e.getKey()));
      }
      assertThat(retry.statusCode()).as(e.getKey()).isEqualTo(e.getValue().statusCode());
      assertThat(retry.headers().firstValue("Idempotent-Replayed")).as(e.getKey()).isPresent();
    }
    assertThat(backend.received()).as("retries under the keys sent nothing").hasSize(before);
  }

  private HttpRequest.Builder keyed(String requestId, String orderId) {
    return gateway
        .orderRequest("web", "{\"order\":\"" + orderId + "\"}")
        .header("X-Request-Id", requestId)
        .header("Idempotency-Key", "key-" + orderId);
  }
}
