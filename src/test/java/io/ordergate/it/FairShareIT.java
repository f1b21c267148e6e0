package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestBackend;
import io.ordergate.support.TestStack;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fair share of the order system's capacity: a source alone may use all of it; a flooding source
 * cannot take it from the others.
 */
class FairShareIT {
  private static final int CAPACITY = 8;

  /** Capacity 8, enough connections for all of it, a time limit no held request reaches. */
  private static final Map<String, String> SMALL =
      Map.of(
          "ORDERGATE_BULKHEAD_MAX_CONCURRENT", Integer.toString(CAPACITY),
          "ORDERGATE_BACKEND_MAX_CONNECTIONS", "64",
          "ORDERGATE_BACKEND_TIMEOUT_MS", "30000");

  private final ExecutorService clients = Executors.newFixedThreadPool(40);
  private TestStack stack;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.backend.stopHolding();
    }
    clients.shutdownNow();
    if (stack != null) {
      stack.close();
    }
  }

  private CompletableFuture<HttpResponse<String>> orderAsync(String source) {
    return CompletableFuture.supplyAsync(() -> stack.gateway.order(source), clients);
  }

  private static String slug(HttpResponse<String> response) {
    return response.statusCode() < 400
        ? Integer.toString(response.statusCode())
        : new JsonObject(response.body()).getString("type").replace("/problems/", "");
  }

  private static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(end);
      GatewayHarness.sleep(20);
    }
  }

  @Test
  void aSourceAloneGetsTheWholeCapacity() throws Exception {
    stack = TestStack.withFlagsFile(SMALL);
    TestBackend backend = stack.backend;
    backend.hold();
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < CAPACITY; i++) {
      sent.add(orderAsync("web"));
    }
    await("all 8 of web's orders at the order system", () -> backend.inFlight("web") == CAPACITY);

    HttpResponse<String> ninth = stack.gateway.order("web");
    assertThat(ninth.statusCode()).isEqualTo(503);
    assertThat(slug(ninth))
        .as("alone, it is the capacity that is used up")
        .isEqualTo("backend-saturated");

    backend.stopHolding();
    for (var f : sent) {
      assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
    }
  }

  @Test
  void aSourceThatArrivesWhileAnotherHoldsEverySlotGetsTheNextOne() throws Exception {
    stack = TestStack.withFlagsFile(SMALL);
    TestBackend backend = stack.backend;
    backend.hold();
    List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
    for (int i = 0; i < CAPACITY; i++) {
      flood.add(orderAsync("perftest"));
    }
    await("perftest holds every slot", () -> backend.inFlight("perftest") == CAPACITY);

    CompletableFuture<HttpResponse<String>> web = orderAsync("web");
    await(
        "web's order waits for a slot",
        () ->
            stack
                .gateway
                .ops("/metrics")
                .body()
                .contains("ordergate_forwards_waiting{source=\"web\"} 1.0"));
    HttpResponse<String> more = stack.gateway.order("perftest");
    assertThat(more.statusCode()).isEqualTo(503);
    assertThat(slug(more)).isEqualTo("source-over-share");
    assertThat(more.headers().firstValue("Retry-After")).isPresent();

    backend.answerHeld(1); // one of perftest's slots frees up: it goes to web
    await("web's order reached the order system", () -> backend.inFlight("web") == 1);
    assertThat(slug(stack.gateway.order("perftest")))
        .as("perftest stays above its share of 4 while web is active")
        .isEqualTo("source-over-share");

    backend.stopHolding();
    assertThat(web.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
    for (var f : flood) {
      assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
    }
    assertThat(stack.gateway.ops("/metrics").body())
        .contains("ordergate_requests_total{decision=\"source-over-share\",source=\"perftest\"}");
  }

  @Test
  void aFloodAgainstASlowingOrderSystemCannotPushAnotherSourceOut() throws Exception {
    stack = TestStack.withFlagsFile(SMALL);
    TestBackend backend = stack.backend;
    backend.delay(20);
    backend.slowDownUnderLoad(10); // 8 in flight: every answer takes 100 ms
    AtomicBoolean flooding = new AtomicBoolean(true);
    Map<String, Integer> perftest = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> flooders = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      flooders.add(
          CompletableFuture.runAsync(
              () -> {
                while (flooding.get()) {
                  String outcome = slug(stack.gateway.order("perftest"));
                  perftest.merge(outcome, 1, Integer::sum);
                  if (!outcome.equals("201")) {
                    GatewayHarness.sleep(10); // spares the shared test machine's CPU, not the gate
                  }
                }
              },
              clients));
    }
    await("the flood fills the capacity", () -> backend.peakInFlight("perftest") == CAPACITY);

    Map<String, Integer> web = new ConcurrentHashMap<>();
    for (int i = 0; i < 10; i++) {
      web.merge(slug(stack.gateway.order("web")), 1, Integer::sum);
    }
    flooding.set(false);
    for (var f : flooders) {
      f.get(60, TimeUnit.SECONDS);
    }

    assertThat(web).as("every legitimate order went through").isEqualTo(Map.of("201", 10));
    assertThat(perftest).containsKey("201").containsKey("source-over-share");
    assertThat(perftest.keySet())
        .as("the flood is refused only by its share or the capacity")
        .allMatch(
            s -> s.equals("201") || s.equals("source-over-share") || s.equals("backend-saturated"));
    assertThat(backend.peakInFlight("perftest")).isLessThanOrEqualTo(CAPACITY);
  }
}
