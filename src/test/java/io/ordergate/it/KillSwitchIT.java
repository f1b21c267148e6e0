package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.demo.UnleashServer;
import io.ordergate.flags.UnleashAdmin;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestBackend;
import io.ordergate.support.TestStack;
import io.ordergate.support.TestUnleash;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The kill switch against the real Unleash server: one source stops, the others keep flowing. */
class KillSwitchIT {
  private static final Logger LOG = LoggerFactory.getLogger(KillSwitchIT.class);
  static TestStack stack;
  static TestBackend backend;
  static UnleashAdmin admin;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    UnleashServer unleash = TestUnleash.shared();
    admin = TestUnleash.admin(unleash);
    stack = TestStack.withUnleash(unleash);
    backend = stack.backend;
    gateway = stack.gateway;
  }

  @AfterAll
  static void stop() {
    admin.setEnabled("order-source.perftest", true);
    admin.setEnabled("order-intake", true);
    stack.close();
  }

  @Test
  void killedSourceIsRefusedWhileOthersFlowAndReviveRestoresIt() {
    assertThat(gateway.order("perftest").statusCode()).isEqualTo(201);

    long killedAt = System.nanoTime();
    admin.setEnabled("order-source.perftest", false);
    Duration killDelay = gateway.awaitOrderStatus("perftest", 503);
    LOG.info("perftest refused {} ms after the kill call", killDelay.toMillis());

    HttpResponse<String> refused = gateway.order("perftest");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(refused.body());
    assertThat(problem.getString("type")).endsWith("source-disabled");
    assertThat(problem.getString("source")).isEqualTo("perftest");
    for (String other : new String[] {"web", "mobile", "partner"}) {
      assertThat(gateway.order(other).statusCode()).as(other).isEqualTo(201);
    }
    int before = backend.received().size();
    gateway.order("perftest");
    assertThat(backend.received()).hasSize(before);

    admin.setEnabled("order-source.perftest", true);
    Duration reviveDelay = gateway.awaitOrderStatus("perftest", 201);
    LOG.info(
        "perftest accepted again {} ms after the revive call (kill took {} ms)",
        reviveDelay.toMillis(),
        killDelay.toMillis());
  }

  @Test
  void globalIntakeFlagStopsEverySourceButReadsStillPass() {
    admin.setEnabled("order-intake", false);
    gateway.awaitOrderStatus("web", 503);
    assertThat(gateway.order("mobile").statusCode()).isEqualTo(503);
    HttpResponse<String> read =
        GatewayHarness.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(gateway.trafficUrl() + "/orders/ord-1"))
                .header("X-Api-Key", "demo-web-key")
                .header("X-Upstream-Environment", "production"));
    assertThat(read.statusCode())
        .isEqualTo(201); // the test backend answers every request with its configured status
    admin.setEnabled("order-intake", true);
    gateway.awaitOrderStatus("web", 201);
  }
}
