package io.ordergate.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordergate.config.RuntimeSettings;
import io.ordergate.ops.OpsRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the gateway runs on, for people comparing replicas and bench runs: shown in {@code GET
 * /ops/runtime} and as {@code ordergate_transport_info{transport}} = 1.
 */
public record RuntimeInfo(
    String transport, RuntimeSettings settings, int eventLoops, String javaVersion) {

  public static RuntimeInfo of(Vertx vertx, RuntimeSettings settings, int eventLoops) {
    return new RuntimeInfo(
        Transports.name(vertx), settings, eventLoops, Runtime.version().toString());
  }

  public RuntimeInfo register(MeterRegistry registry) {
    Gauge.builder("ordergate.transport.info", () -> 1)
        .description("The network transport in use (1 for the one in use)")
        .tag("transport", transport)
        .register(registry);
    return this;
  }

  public JsonObject json() {
    return new JsonObject()
        .put("transport", transport)
        .put("transportSetting", settings.transport().label())
        .put("transportsAvailable", new JsonArray(Transports.available()))
        .put("strictThreadMode", settings.strictThreadMode())
        .put("eventLoops", eventLoops)
        .put("java", javaVersion);
  }

  /** {@code GET /ops/runtime}. */
  public OpsRoutes routes() {
    return router -> router.get("/ops/runtime").handler(ctx -> ctx.json(json()));
  }
}
