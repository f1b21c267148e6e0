package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Gateway;
import io.ordergate.demo.EmbeddedDatabase;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With PostgreSQL gone, nothing is acknowledged that is not stored. */
class QuarantineOutageIT {
  static Vertx vertx;
  static EmbeddedDatabase database;
  static TestBackend backend;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    vertx = Gateway.newVertx();
    database = EmbeddedDatabase.start(null, true);
    backend = TestBackend.start(vertx);
    Map<String, String> env = GatewayHarness.settings(backend.url());
    env.put("ORDERGATE_DATABASE_URL", database.createDatabase("outage"));
    Path flags = GatewayHarness.withFlagsFile(env);
    GatewayHarness.setVariant(flags, "order-source.perftest", "quarantine", null);
    gateway = GatewayHarness.start(vertx, env);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    backend.close();
    vertx.close();
  }

  @Test
  void quarantinedOrdersAndKeyedRequestsGet503OnceTheDatabaseIsGone() {
    HttpResponse<String> held = gateway.order("perftest");
    assertThat(held.statusCode()).isEqualTo(202);
    assertThat(new JsonObject(held.body()).getString("status")).isEqualTo("quarantined");

    database.close();

    HttpResponse<String> refused = gateway.order("perftest");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(new JsonObject(refused.body()).getString("type"))
        .endsWith("/quarantine-unavailable");

    HttpResponse<String> keyed =
        GatewayHarness.send(
            gateway.orderRequest("web", "{\"sku\":\"K-1\"}").header("Idempotency-Key", "k-outage"));
    assertThat(keyed.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(keyed.body()).getString("type")).endsWith("/idempotency-unavailable");

    assertThat(backend.received()).as("nothing held or keyed reached the order system").isEmpty();
    assertThat(gateway.order("web").statusCode())
        .as("plain orders still flow; their audit waits in the buffer")
        .isEqualTo(201);
  }
}
