package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.support.Eventually;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Load;
import io.ordergate.support.Scrape;
import io.ordergate.support.TestStack;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A held source flooding beyond {@code ORDERGATE_QUARANTINE_HOLD_RATE}: its orders within the cap
 * are stored (202), the rest are refused 429 {@code source-over-hold-rate} without being stored or
 * forwarded, every request is counted and accounted in PostgreSQL (refusals beyond the audit sample
 * as counts), and a legitimate source flows meanwhile.
 */
class HoldRateIT {
  static TestStack stack;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    stack =
        TestStack.withFlagsFile(
            Map.of(
                "ORDERGATE_QUARANTINE_HOLD_RATE", "5",
                "ORDERGATE_AUDIT_SAMPLE_PER_SECOND", "2",
                // a legitimate order waits for a busy test machine, not for a deadline
                "ORDERGATE_BACKEND_TIMEOUT_MS", "30000"));
    gateway = stack.gateway;
    GatewayHarness.setVariant(stack.flagsFile, "order-source.perftest", "quarantine", null);
    gateway.awaitOrderStatus("perftest", 202);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void aHeldFloodOverTheCapIsRefusedCheaplyCountedAndAuditedWhileOthersFlow() {
    long forwardedBefore = perftestAtBackend(); // before the hold was seen: forwarded
    HttpResponse<String> refused = null;
    for (int i = 0; i < 10_000 && refused == null; i++) {
      HttpResponse<String> r = gateway.order("perftest");
      if (r.statusCode() == 429) {
        refused = r;
      }
    }
    assertThat(refused).as("a held source over its hold rate is refused").isNotNull();
    assertThat(refused.headers().firstValue("Retry-After")).contains("1");
    JsonObject problem = new JsonObject(refused.body());
    assertThat(problem.getString("type")).endsWith("/source-over-hold-rate");
    assertThat(problem.getString("source")).isEqualTo("perftest");
    assertThat(problem.getString("detail")).contains("neither stored nor forwarded");

    int port = gateway.gateway().trafficPort();
    Load flood = Load.start(stack.vertx, port, "perftest", 16, false);
    Load web = Load.start(stack.vertx, port, "web", 2, false);
    Eventually.await(
        "the flood is both held (within the cap) and refused (beyond it)",
        () -> flood.answered(202) >= 10 && flood.answered(429) >= 200 && web.answered(201) >= 20);
    Map<Integer, Long> floodAnswers = flood.stop();
    Map<Integer, Long> webAnswers = web.stop();

    assertThat(floodAnswers).containsOnlyKeys(202, 429);
    assertThat(webAnswers).containsOnlyKeys(201);
    String page = awaitShipped();
    long held = sql("SELECT count(*) FROM quarantine WHERE source_id = 'perftest'");
    long refusedCount = (long) metric(page, "source-over-hold-rate");
    assertThat(held)
        .as("only what was answered 202 was stored")
        .isEqualTo((long) metric(page, "quarantined"));
    assertThat(refusedCount).isGreaterThanOrEqualTo(floodAnswers.get(429));
    assertThat(perftestAtBackend())
        .as("nothing of the held source reached the order system")
        .isEqualTo(forwardedBefore);

    assertThat(Scrape.sum(page, "ordergate_audit_dropped_total")).isZero();
    assertThat(gateway.accountedInDatabase())
        .isEqualTo((long) Scrape.sum(page, "ordergate_requests_total"));
    long rows = sql("SELECT count(*) FROM audit WHERE decision = 'source-over-hold-rate'");
    long counted =
        sql(
            "SELECT coalesce(sum(count), 0) FROM audit_refusals"
                + " WHERE decision = 'source-over-hold-rate' AND source_id = 'perftest'");
    assertThat(counted).as("refusals beyond the sample are counted, not rowed").isPositive();
    assertThat(rows + counted).isEqualTo(refusedCount);
    assertThat(sql("SELECT count(*) FROM audit WHERE decision = 'quarantined'")).isEqualTo(held);
  }

  static long perftestAtBackend() {
    return stack.backend.received().stream()
        .filter(r -> "perftest".equals(r.headers().get("X-Order-Source")))
        .count();
  }

  /** ordergate_requests_total of perftest with this decision. */
  static double metric(String page, String decision) {
    return page.lines()
        .filter(l -> l.startsWith("ordergate_requests_total{"))
        .filter(l -> l.contains("decision=\"" + decision + "\"") && l.contains("\"perftest\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  static long sql(String query) {
    return Await.result(gateway.pool().query(query).execute(), 30).iterator().next().getLong(0);
  }

  /** The metrics page once the spool is shipped: accounted has caught up with requests. */
  static String awaitShipped() {
    Eventually.await(
        "the audit is shipped",
        () -> {
          String page = Scrape.page(gateway.opsUrl());
          return Scrape.sum(page, "ordergate_audit_accounted_total")
              >= Scrape.sum(page, "ordergate_requests_total");
        });
    return Scrape.page(gateway.opsUrl());
  }
}
