package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestBackend;
import io.ordergate.support.TestStack;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Stopping the gateway finishes what is in flight, drops readiness first and flushes the audit. */
class GracefulShutdownIT {

  @Test
  void inFlightRequestsFinishNewOnesAreToldToLeaveAndEveryOneIsAudited() throws Exception {
    // nothing is flushed before the stop: the stop must do it
    TestStack stack = TestStack.withFlagsFile(Map.of("ORDERGATE_AUDIT_FLUSH_MS", "5000"));
    GatewayHarness gateway = stack.gateway;
    TestBackend backend = stack.backend;
    backend.delay(1_000);
    ExecutorService clients = Executors.newFixedThreadPool(20);
    List<Future<Integer>> inFlight = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      inFlight.add(clients.submit(() -> gateway.order("web").statusCode()));
    }
    awaitBackendRequests(backend, 20);

    String opsUrl = gateway.opsUrl();
    String trafficUrl = gateway.trafficUrl();
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(gateway::stopGateway);
    GatewayHarness.sleep(200);
    var ready = GatewayHarness.send(HttpRequest.newBuilder(URI.create(opsUrl + "/ready")));
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(ready.body()).getJsonObject("checks").getString("shutdown"))
        .isEqualTo("draining");
    String duringDrain =
        GatewayHarness.raw(
            URI.create(trafficUrl).getPort(),
            "POST /orders HTTP/1.1\r\nHost: x\r\n"
                + "X-Api-Key: demo-web-key\r\nX-Upstream-Environment: production\r\nContent-Length: 2\r\n\r\n{}");
    assertThat(duringDrain)
        .as("still served, but told to go elsewhere next time")
        .startsWith("HTTP/1.1 201")
        .containsIgnoringCase("connection: close");

    for (Future<Integer> f : inFlight) {
      assertThat(f.get()).isEqualTo(201);
    }
    stopping.get();
    assertThat(gateway.auditRows()).isEqualTo(21);
    clients.shutdown();
    stack.close();
  }

  @Test
  void requestsStillRunningAtTheDrainDeadlineAreAuditedAll() throws Exception {
    TestStack stack =
        TestStack.withFlagsFile(
            Map.of(
                "ORDERGATE_SHUTDOWN_TIMEOUT_MS",
                "300",
                "ORDERGATE_BACKEND_TIMEOUT_MS",
                "5000",
                "ORDERGATE_AUDIT_FLUSH_MS",
                "5000"));
    stack.backend.delay(2_000);
    ExecutorService clients = Executors.newFixedThreadPool(3);
    List<Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sent.add(
          clients.submit(
              () -> {
                try {
                  stack.gateway.order("web");
                } catch (RuntimeException e) {
                  // the client may be cut off at the deadline; what matters is the audit
                }
              }));
    }
    awaitBackendRequests(stack.backend, 3);
    stack.gateway.stopGateway();
    for (Future<?> f : sent) {
      f.get();
    }
    assertThat(stack.gateway.auditRows())
        .as("every request that reached the order system is audited")
        .isEqualTo(3);
    clients.shutdown();
    stack.close();
  }

  private static void awaitBackendRequests(TestBackend backend, int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (backend.received().size() < n && System.nanoTime() < deadline) {
      GatewayHarness.sleep(20);
    }
    assertThat(backend.received()).hasSize(n);
  }
}
