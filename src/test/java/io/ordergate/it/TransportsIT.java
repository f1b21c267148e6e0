package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.config.TransportChoice;
import io.ordergate.runtime.Transports;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway forwards, refuses and times out on every transport this machine has, and says which
 * one it runs on; strict thread mode holds on the best one (a response written off its event loop
 * would fail there).
 */
class TransportsIT {

  static List<Arguments> cases() {
    List<String> available = Transports.available();
    List<Arguments> cases = new ArrayList<>();
    available.forEach(t -> cases.add(Arguments.of(t, false)));
    cases.add(Arguments.of(available.get(0), true));
    return cases;
  }

  @ParameterizedTest(name = "{0}, strict thread mode {1}")
  @MethodSource("cases")
  void forwardsRefusesAndReportsItsTransport(String transport, boolean strict) {
    Vertx vertx = Transports.newVertx(TransportChoice.named(transport).orElseThrow());
    TestBackend backend = TestBackend.start(vertx);
    Map<String, String> env = GatewayHarness.settings(backend.url());
    Path flags = GatewayHarness.withFlagsFile(env);
    env.put("ORDERGATE_TRANSPORT", transport);
    env.put("ORDERGATE_STRICT_THREAD_MODE", Boolean.toString(strict));
    env.put("ORDERGATE_BACKEND_TIMEOUT_MS", "3000");
    try (GatewayHarness gateway = GatewayHarness.start(vertx, env)) {
      assertThat(Transports.name(vertx)).isEqualTo(transport);

      HttpResponse<String> forwarded = gateway.order("web");
      assertThat(forwarded.statusCode()).isEqualTo(201);
      assertThat(new JsonObject(forwarded.body()).getString("source")).isEqualTo("web");

      GatewayHarness.setFlag(flags, "order-source.perftest", false);
      gateway.awaitOrderStatus("perftest", 503);
      HttpResponse<String> refused = gateway.order("perftest");
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");

      backend.delay(10_000); // answered by the gateway's timer, on the request's event loop
      assertThat(gateway.order("web").statusCode()).isEqualTo(504);
      backend.delay(0);

      JsonObject runtime = new JsonObject(gateway.ops("/ops/runtime").body());
      assertThat(runtime.getString("transport")).isEqualTo(transport);
      assertThat(runtime.getString("transportSetting")).isEqualTo(transport);
      assertThat(runtime.getBoolean("strictThreadMode")).isEqualTo(strict);
      assertThat(runtime.getJsonArray("transportsAvailable").getList()).contains(transport);
      assertThat(gateway.ops("/metrics").body())
          .containsPattern(
              "ordergate_transport_info\\{transport=\"" + transport + "\"} 1(\\.0)?\n");
    } finally {
      backend.close();
      vertx.close();
    }
  }
}
