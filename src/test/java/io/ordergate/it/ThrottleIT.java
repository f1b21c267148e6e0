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

/**
 * The throttle variant against the real Unleash server: a rate limit per source that follows the
 * flag.
 */
class ThrottleIT {
  private static final String FLAG = "order-source.partner";
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
    admin.setVariant(FLAG, null, null);
    stack.close();
  }

  /** Sends {@code n} writes back to back; true when all of them were forwarded. */
  private static boolean burstAllForwarded(int n) {
    boolean all = true;
    for (int i = 0; i < n; i++) {
      all &= gateway.order("partner").statusCode() == 201;
    }
    return all;
  }

  @Test
  void overTheRateGets429AndANewRateInUnleashAppliesWithoutRestart() {
    admin.setVariant(FLAG, "throttle", "{\"ratePerSecond\": 1}");
    HttpResponse<String> limited = null;
    long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < end && (limited == null || limited.statusCode() != 429)) {
      limited = gateway.order("partner");
    }
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
    JsonObject problem = new JsonObject(limited.body());
    assertThat(problem.getString("type")).endsWith("/source-throttled");
    assertThat(problem.getString("source")).isEqualTo("partner");
    assertThat(gateway.order("web").statusCode())
        .as("other sources are not limited")
        .isEqualTo(201);

    int forwardedBefore = backend.received().size();
    long start = System.nanoTime();
    int refused = 0;
    for (int i = 0; i < 30; i++) {
      refused += gateway.order("partner").statusCode() == 429 ? 1 : 0;
    }
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
    int forwarded = backend.received().size() - forwardedBefore;
    assertThat(forwarded)
        .as("at most one per started second")
        .isLessThanOrEqualTo((int) seconds + 2);
    assertThat(forwarded + refused).as("each one forwarded or refused").isEqualTo(30);

    admin.setVariant(FLAG, "throttle", "{\"ratePerSecond\": 10000}");
    long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    boolean raised = false;
    while (!raised && System.nanoTime() < until) {
      raised = burstAllForwarded(20);
    }
    assertThat(raised).as("20 back-to-back writes pass once the rate is 10000/s").isTrue();

    admin.setVariant(FLAG, null, null);
  }

  @Test
  void throttleWithoutAUsableRateRefusesTheSource() {
    admin.setVariant(FLAG, "throttle", "{\"rate\": \"lots\"}");
    gateway.awaitOrderStatus("partner", 503);

    JsonObject problem = new JsonObject(gateway.order("partner").body());

    assertThat(problem.getString("type")).endsWith("/source-disabled");
    assertThat(problem.getString("detail")).contains("ratePerSecond");
    admin.setVariant(FLAG, null, null);
    gateway.awaitOrderStatus("partner", 201);
  }
}
