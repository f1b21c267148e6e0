package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.demo.UnleashServer;
import io.ordergate.flags.UnleashAdmin;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Jar;
import io.ordergate.support.TestStack;
import io.ordergate.support.TestUnleash;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shadow mode against the real Unleash server: writes keep flowing, what the action would have done
 * is counted once beside the request's own outcome, and audited.
 */
class ShadowIT {
  private static final String SOURCE = "mobile";
  private static final String FLAG = "order-source." + SOURCE;
  static UnleashServer unleash;
  static UnleashAdmin admin;
  static TestStack stack;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    unleash = TestUnleash.shared();
    admin = TestUnleash.admin(unleash);
    stack = TestStack.withUnleash(unleash);
    gateway = stack.gateway;
  }

  @AfterEach
  void clearVariant() {
    admin.setVariant(FLAG, null, null);
    gateway.awaitOrderStatus(SOURCE, 201);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static Map<String, String> adminEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("UNLEASH_ADMIN_URL", unleash.baseUrl());
    env.put("UNLEASH_ADMIN_TOKEN", UnleashServer.ADMIN_TOKEN);
    return env;
  }

  /** A counter's value on /metrics, 0 when it is not there yet. */
  private static double metric(String name, String decision) {
    Matcher m =
        Pattern.compile(
                Pattern.quote(name + "{decision=\"" + decision + "\",source=\"" + SOURCE + "\"} ")
                    + "(\\S+)")
            .matcher(gateway.ops("/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** Sends writes (each must pass) until the shadow counts one; returns how many it sent. */
  private static int untilCounted(String wouldDecision) {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int sent = 0;
    while (metric("ordergate_shadow_total", wouldDecision) == 0) {
      assertThat(System.nanoTime()).as("the shadow takes effect").isLessThan(end);
      assertThat(gateway.order(SOURCE).statusCode()).isEqualTo(201);
      sent++;
    }
    return sent;
  }

  @Test
  void aShadowKillLetsWritesThroughAndCountsWhatItWouldHaveRejected() {
    double forwardedBefore = metric("ordergate_requests_total", "forwarded");
    Jar.Run shadow = Jar.run(adminEnv(), "shadow", SOURCE, "kill");
    assertThat(shadow.exit()).as(shadow.out()).isZero();
    assertThat(shadow.out()).contains("variant 'shadow'").contains("would-reject");

    int sent = untilCounted("would-reject");
    double counted = metric("ordergate_shadow_total", "would-reject");
    for (int i = 0; i < 5; i++) {
      assertThat(gateway.order(SOURCE).statusCode())
          .as("a shadow kill refuses nothing")
          .isEqualTo(201);
    }
    sent += 5;

    assertThat(metric("ordergate_shadow_total", "would-reject")).isEqualTo(counted + 5);
    assertThat(metric("ordergate_requests_total", "forwarded") - forwardedBefore)
        .as("each write counted once, as forwarded")
        .isEqualTo(sent);
    assertThat(metric("ordergate_requests_total", "would-reject"))
        .as("the would-decision is not a second count of the request")
        .isZero();
    long audited = auditedWith("would-reject", (long) counted + 5);
    assertThat(audited).isEqualTo((long) counted + 5);

    Jar.Run status = Jar.run(adminEnv(), "status");
    assertThat(status.out()).containsPattern("mobile\\s+order-source\\.mobile\\s+on, shadow kill");
  }

  @Test
  void aShadowThrottleCountsOnlyWritesBeyondItsRate() {
    admin.setVariant(FLAG, "shadow", "{\"action\": \"throttle\", \"ratePerSecond\": 1}");
    int sent = untilCounted("would-throttle");
    double counted = metric("ordergate_shadow_total", "would-throttle");
    assertThat(counted).isPositive().isLessThanOrEqualTo(sent);
    for (int i = 0; i < 10; i++) {
      assertThat(gateway.order(SOURCE).statusCode()).isEqualTo(201);
    }
    double after = metric("ordergate_shadow_total", "would-throttle");
    assertThat(after - counted)
        .as("ten writes in a row: all but one per started second are beyond a rate of 1/s")
        .isPositive()
        .isLessThanOrEqualTo(10);
  }

  /** Audit rows of the source with that shadow decision, once at least {@code expected} are in. */
  private static long auditedWith(String wouldDecision, long expected) {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long rows;
    do {
      GatewayHarness.sleep(50);
      rows =
          Await.result(
              gateway
                  .pool()
                  .preparedQuery(
                      "SELECT count(*) FROM audit WHERE source_id = $1 AND shadow = $2 AND decision = 'forwarded'")
                  .execute(Tuple.of(SOURCE, wouldDecision))
                  .map(r -> r.iterator().next().getLong(0)),
              30);
    } while (rows < expected && System.nanoTime() < end);
    return rows;
  }
}
