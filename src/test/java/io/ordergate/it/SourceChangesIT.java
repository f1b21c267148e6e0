package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Registry changes reach a running gateway without a restart (the periodic refresh is set to a
 * minute here).
 */
class SourceChangesIT {
  private static final Duration BOUND = Duration.ofSeconds(10);
  static TestStack stack;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    stack = TestStack.withFlagsFile(Map.of());
    gateway = stack.gateway;
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private int orderWithKey(String key) {
    return GatewayHarness.send(
            HttpRequest.newBuilder(URI.create(gateway.trafficUrl() + "/orders"))
                .header("Authorization", "Bearer " + key)
                .header("X-Upstream-Environment", "production")
                .POST(HttpRequest.BodyPublishers.ofString("{}")))
        .statusCode();
  }

  private void awaitStatus(String key, int status) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      if (orderWithKey(key) == status) {
        return;
      }
      GatewayHarness.sleep(50);
    }
    throw new AssertionError("key did not get " + status + " within " + BOUND);
  }

  @Test
  void addedRotatedAndRemovedSourcesTakeEffectWithoutRestart() {
    Await.result(gateway.sources().add("kiosk", "production", "shop kiosks", "kiosk-key-1"), 30);
    awaitStatus("kiosk-key-1", 201); // unflagged sources are accepted by default

    Await.result(gateway.sources().rotateKey("kiosk", "kiosk-key-2", false), 30);
    awaitStatus("kiosk-key-1", 401);
    assertThat(orderWithKey("kiosk-key-2")).isEqualTo(201);

    Await.result(gateway.sources().rotateKey("kiosk", "kiosk-key-3", true), 30);
    awaitStatus("kiosk-key-3", 201);
    assertThat(orderWithKey("kiosk-key-2")).as("--keep-old keeps the previous key").isEqualTo(201);

    Await.result(gateway.sources().remove("kiosk"), 30);
    awaitStatus("kiosk-key-3", 401);
  }

  @Test
  void aSourceRegisteredForAnotherEnvironmentIsFencedOut() {
    Await.result(gateway.sources().add("staging-rig", "staging", "", "staging-rig-key"), 30);
    awaitStatus("staging-rig-key", 421);
  }
}
