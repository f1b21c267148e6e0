package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Gateway;
import io.ordergate.demo.UnleashServer;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestBackend;
import io.ordergate.support.TestUnleash;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Unleash going away must not change what the gateway does: it keeps its last flags, and a gateway
 * started while Unleash is unreachable starts from its backup file, not from the bootstrap
 * defaults.
 */
class UnleashOutageIT {
  private static final Duration BOUND = Duration.ofSeconds(15);
  static Vertx vertx;
  static TestBackend backend;
  static UnleashServer unleash;

  @BeforeAll
  static void start() {
    vertx = Gateway.newVertx();
    backend = TestBackend.start(vertx);
    unleash = TestUnleash.startOwn();
  }

  @AfterAll
  static void stop() {
    unleash.close();
    backend.close();
    vertx.close();
  }

  @Test
  void keepsLastFlagsWhenUnleashStopsAndRestartsFromBackupWhenItIsUnreachable() {
    Map<String, String> env =
        GatewayHarness.withUnleash(GatewayHarness.settings(backend.url()), unleash);
    GatewayHarness first = GatewayHarness.start(vertx, env);
    TestUnleash.admin(unleash).setEnabled("order-source.perftest", false);
    first.awaitOrderStatus("perftest", 503);

    unleash.close();
    awaitFlagsUnreachable(first);
    assertThat(first.order("perftest").statusCode()).isEqualTo(503);
    assertThat(first.order("web").statusCode()).isEqualTo(201);
    assertThat(first.ops("/ready").statusCode()).isEqualTo(200);
    assertThat(first.ops("/metrics").body())
        .contains("ordergate_flags_reachable 0.0")
        .contains("ordergate_flags_age_seconds");
    first.stopGateway();

    // Same settings, same backup file, the same (now dead) Unleash URL.
    Map<String, String> restart = new java.util.HashMap<>(env);
    restart.put("ORDERGATE_HTTP_PORT", Integer.toString(io.ordergate.support.Ports.free()));
    restart.put("ORDERGATE_OPS_PORT", Integer.toString(io.ordergate.support.Ports.free()));
    restart.put("ORDERGATE_INSTANCE_ID", env.get("ORDERGATE_INSTANCE_ID") + "-restarted");
    try (GatewayHarness second = GatewayHarness.start(vertx, restart)) {
      assertThat(second.ops("/ready").statusCode()).isEqualTo(200);
      JsonObject flags = new JsonObject(second.ops("/ops/flags").body());
      assertThat(flags.getString("origin")).isEqualTo("backup");
      assertThat(second.order("perftest").statusCode())
          .as("perftest stays killed: the backup, not the bootstrap, is in force")
          .isEqualTo(503);
      assertThat(second.order("web").statusCode()).isEqualTo(201);
    }
    first.close();
  }

  private static void awaitFlagsUnreachable(GatewayHarness gateway) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      if (!new JsonObject(gateway.ops("/ops/flags").body()).getBoolean("reachable")) {
        return;
      }
      GatewayHarness.sleep(100);
    }
    throw new AssertionError("the gateway never noticed that Unleash stopped");
  }
}
