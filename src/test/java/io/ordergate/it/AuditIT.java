package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestStack;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every request, whatever its fate, ends as exactly one audit row. */
class AuditIT {
  static TestStack stack;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    stack = TestStack.withFlagsFile(Map.of());
    gateway = stack.gateway;
    GatewayHarness.setFlag(stack.flagsFile, "order-source.perftest", false);
    gateway.awaitOrderStatus("perftest", 503);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void aBurstOfMixedRequestsLeavesExactlyOneRowEach() throws Exception {
    long before = gateway.settledAuditRows();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Integer>> sent = new ArrayList<>();
    String[] sources = {"web", "mobile", "partner", "perftest"};
    int perKind = 100;
    for (int i = 0; i < perKind; i++) {
      for (String s : sources) {
        sent.add(pool.submit(() -> gateway.order(s).statusCode()));
      }
      sent.add(
          pool.submit(
              () ->
                  GatewayHarness.send(
                          HttpRequest.newBuilder(URI.create(gateway.trafficUrl() + "/orders"))
                              .header("Authorization", "Bearer wrong")
                              .POST(HttpRequest.BodyPublishers.ofString("{}")))
                      .statusCode()));
    }
    Map<Integer, Integer> byStatus = new HashMap<>();
    for (Future<Integer> f : sent) {
      byStatus.merge(f.get(), 1, Integer::sum);
    }
    pool.shutdown();
    assertThat(byStatus)
        .containsEntry(201, 3 * perKind)
        .containsEntry(503, perKind)
        .containsEntry(401, perKind);

    long expected = before + sent.size();
    assertThat(gateway.awaitAuditRows(expected, Duration.ofSeconds(30))).isEqualTo(expected);
    GatewayHarness.sleep(200); // a late duplicate would show up here
    assertThat(gateway.auditRows()).isEqualTo(expected);

    Map<String, Long> decisions = new HashMap<>();
    for (Row r :
        Await.result(
            gateway
                .pool()
                .query("SELECT decision, count(*) FROM audit GROUP BY decision")
                .execute(),
            30)) {
      decisions.put(r.getString(0), r.getLong(1));
    }
    assertThat(decisions.get("source-disabled")).isEqualTo(perKind + 1L);
    assertThat(decisions.get("unknown-credential")).isEqualTo((long) perKind);
    long duplicates =
        Await.result(
                gateway
                    .pool()
                    .query(
                        "SELECT count(*) FROM (SELECT request_id FROM audit GROUP BY request_id HAVING count(*) > 1) d")
                    .execute(),
                30)
            .iterator()
            .next()
            .getLong(0);
    assertThat(duplicates).isZero();
  }

  @Test
  void forwardedRowsCarryTheBackendOrderIdAndSource() {
    gateway.order("mobile");
    gateway.awaitAuditRows(1, Duration.ofSeconds(10));
    GatewayHarness.sleep(100);
    Row row =
        Await.result(
                gateway
                    .pool()
                    .query(
                        "SELECT source_id, decision, status, backend_order_id, method, path, flag_revision FROM audit "
                            + "WHERE source_id = 'mobile' ORDER BY id DESC LIMIT 1")
                    .execute(),
                30)
            .iterator()
            .next();
    assertThat(row.getString(0)).isEqualTo("mobile");
    assertThat(row.getString(1)).isEqualTo("forwarded");
    assertThat(row.getInteger(2)).isEqualTo(201);
    assertThat(row.getString(3)).startsWith("ord-");
    assertThat(row.getString(4)).isEqualTo("POST");
    assertThat(row.getString(5)).isEqualTo("/orders");
    assertThat(row.getLong(6)).isPositive();
  }
}
