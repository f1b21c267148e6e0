package io.ordergate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The probes and the scrape target written in k8s/, asked of a real running gateway: each path is
 * served by the port it names, and readiness (not liveness) follows the drain at SIGTERM.
 */
class KubernetesProbesIT {

  @Test
  void everyOverlaysProbesAndScrapePathAreServedByTheOpsPortAndOnlyReadinessDropsWhileDraining()
      throws Exception {
    TestStack stack = TestStack.withFlagsFile(Map.of());
    GatewayHarness gateway = stack.gateway;
    int opsPortInPods = KubernetesManifestsTest.defaults().opsPort();
    List<String> targets = KubernetesManifestsTest.targets().toList();
    assertThat(targets).contains("staging", "production");

    HTTPGetAction readiness = null;
    HTTPGetAction liveness = null;
    for (String target : targets) {
      Rendered r = KubernetesManifestsTest.render(target);
      Container c = r.gatewayContainer();
      for (Probe probe :
          List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
        HTTPGetAction get = probe.getHttpGet();
        assertThat(r.containerPort(get.getPort()))
            .as("%s: probe %s goes to the ops port", target, get.getPath())
            .isEqualTo(opsPortInPods);
        assertThat(get(gateway.opsUrl() + get.getPath()).statusCode())
            .as("%s: probe path %s answers 200 on a ready gateway", target, get.getPath())
            .isEqualTo(200);
      }
      for (var monitor : r.serviceMonitors()) {
        List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
        for (Map<String, Object> e : endpoints) {
          HttpResponse<String> scrape = get(gateway.opsUrl() + e.get("path"));
          assertThat(scrape.statusCode()).isEqualTo(200);
          assertThat(scrape.body())
              .as("%s: the ServiceMonitor scrapes the gateway's metrics", target)
              .contains("ordergate_ready");
        }
      }
      readiness = c.getReadinessProbe().getHttpGet();
      liveness = c.getLivenessProbe().getHttpGet();
    }

    // An order held by the order system keeps the drain going while the probes are asked.
    stack.backend.delay(3_000);
    CompletableFuture<Integer> inFlight =
        CompletableFuture.supplyAsync(() -> gateway.order("web").statusCode());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (stack.backend.received().isEmpty() && System.nanoTime() < deadline) {
      GatewayHarness.sleep(10);
    }
    String opsUrl = gateway.opsUrl();
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(gateway::stopGateway);
    int readyStatus = 200;
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (readyStatus == 200 && System.nanoTime() < deadline) {
      readyStatus = get(opsUrl + readiness.getPath()).statusCode();
    }
    assertThat(readyStatus)
        .as("readiness drops at SIGTERM: the endpoints stop sending")
        .isEqualTo(503);
    assertThat(get(opsUrl + liveness.getPath()).statusCode())
        .as("liveness holds: the kubelet must not kill a draining pod")
        .isEqualTo(200);
    assertThat(inFlight.get(30, TimeUnit.SECONDS)).isEqualTo(201);
    stopping.get(60, TimeUnit.SECONDS);
    stack.close();
  }

  private static HttpResponse<String> get(String url) {
    return GatewayHarness.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)));
  }
}
