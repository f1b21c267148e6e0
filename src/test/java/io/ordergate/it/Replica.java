package io.ordergate.it;

import io.ordergate.demo.Demo;
import io.ordergate.support.GatewayHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A gateway process of {@link InterventionsIT}'s fleet, its ports, and everything it printed. */
record Replica(String id, Process process, int traffic, int ops, StringBuffer log) {

  /** The status of one order of {@code source} sent to this replica. */
  int order(String source) {
    return GatewayHarness.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + traffic + "/orders"))
                .header("Authorization", "Bearer " + Demo.keyOf(source))
                .header("X-Upstream-Environment", GatewayHarness.ENVIRONMENT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"A-1\",\"qty\":1}")))
        .statusCode();
  }

  void awaitOrderStatus(String source, int status) {
    await(() -> order(source) == status, id + " answers " + status + " to " + source);
  }

  /**
   * Waits up to 3 minutes: on a shared, loaded machine a gateway JVM can take over a minute to
   * start.
   */
  Replica awaitReady() {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(id + " exited early; it printed:\n" + log);
      }
      try {
        if (GatewayHarness.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops + "/ready")))
                .statusCode()
            == 200) {
          return this;
        }
      } catch (RuntimeException e) {
        // not listening yet
      }
      GatewayHarness.sleep(200);
    }
    process.destroyForcibly();
    throw new AssertionError(id + " did not become ready; it printed:\n" + log);
  }

  /** Waits for a condition, up to 20 s; polling is once a minute, so 20 s means "fast". */
  /** Asks every replica to stop, then waits for each (forcibly after 30 s). */
  static void stopAll(java.util.List<Replica> all) {
    all.forEach(r -> r.process().destroy());
    for (Replica r : all) {
      try {
        if (!r.process().waitFor(30, TimeUnit.SECONDS)) {
          r.process().destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      GatewayHarness.sleep(50);
    }
    throw new AssertionError("not within 20 s: " + what);
  }
}
