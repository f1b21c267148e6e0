package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Load;
import io.ordergate.support.Scrape;
import io.ordergate.support.TestStack;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A refused flood at full rate with forwarded orders among it: every request is accounted for in
 * PostgreSQL exactly once and nothing is dropped. The 60-second version: loadtest/audit-proof.sh.
 */
class AuditFloodIT {
  static final int SECONDS = Integer.getInteger("audit.flood.seconds", 20);
  static TestStack stack;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    stack = TestStack.withFlagsFile(Map.of("ORDERGATE_AUDIT_FLUSH_MS", "100"));
    gateway = stack.gateway;
    GatewayHarness.setFlag(stack.flagsFile, "order-source.perftest", false);
    gateway.awaitOrderStatus("perftest", 503);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void aRefusedFloodAndForwardedOrdersAreAllAccountedAndNoneDropped() {
    int port = gateway.gateway().trafficPort();
    Load flood = Load.start(stack.vertx, port, "perftest", 48, false);
    Load web = Load.start(stack.vertx, port, "web", 8, false);
    GatewayHarness.sleep(SECONDS * 1000L);
    Map<Integer, Long> refused = flood.stop();
    Map<Integer, Long> forwarded = web.stop();

    String page = awaitShipped();
    double requests = Scrape.sum(page, "ordergate_requests_total");
    double accounted = Scrape.sum(page, "ordergate_audit_accounted_total");
    System.out.printf(
        "audit flood: %d s, refused %s (%.0f/s), forwarded %s, requests %.0f, accounted %.0f,"
            + " dropped %.0f, audit rows %d, in PostgreSQL %d%n",
        SECONDS,
        refused,
        refused.getOrDefault(503, 0L) / (double) SECONDS,
        forwarded,
        requests,
        accounted,
        Scrape.sum(page, "ordergate_audit_dropped_total"),
        gateway.auditRows(),
        gateway.accountedInDatabase());
    assertThat(refused.getOrDefault(503, 0L)).isPositive();
    assertThat(forwarded.getOrDefault(201, 0L)).isPositive();
    assertThat(accounted).isEqualTo(requests);
    assertThat(Scrape.sum(page, "ordergate_audit_dropped_total")).isZero();
    assertThat(gateway.accountedInDatabase()).isEqualTo((long) requests);
    assertThat(
            gateway
                .pool()
                .query("SELECT count(*) FROM audit WHERE decision = 'forwarded'")
                .execute()
                .toCompletionStage()
                .toCompletableFuture()
                .join()
                .iterator()
                .next()
                .getLong(0))
        .as("every forwarded order has its own row")
        .isEqualTo(stack.backend.received().size());
  }

  /** The metrics page once the spool is shipped: accounted has caught up with requests. */
  static String awaitShipped() {
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
}
