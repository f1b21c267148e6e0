package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.db.Database;
import io.ordergate.demo.Demo;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Jar;
import io.ordergate.support.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged gateway, run as a process and stopped with SIGTERM while orders are in flight. */
class ServeSigtermIT {

  @Test
  void sigtermLetsInFlightOrdersFinishFlushesTheAuditAndExitsCleanly() throws Exception {
    Vertx vertx = Gateway.newVertx();
    TestBackend backend = TestBackend.start(vertx);
    Map<String, String> env = GatewayHarness.settings(backend.url());
    GatewayHarness.withFlagsFile(env);
    env.put("ORDERGATE_AUDIT_FLUSH_MS", "5000"); // only the shutdown flushes: proves it does
    Pool pool = Database.pool(vertx, DatabaseSettings.from(new io.ordergate.config.Env(env)));
    Await.result(Demo.seedSources(pool), 60);

    ProcessBuilder pb =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                Path.of("target", "order-gate.jar").toString(),
                "serve")
            .redirectErrorStream(true)
            .redirectOutput(
                Path.of("target", "serve-sigterm-" + System.nanoTime() + ".log").toFile());
    pb.environment().putAll(env);
    Process gateway = pb.start();
    String traffic = "http://127.0.0.1:" + env.get("ORDERGATE_HTTP_PORT");
    Jar.awaitReady("http://127.0.0.1:" + env.get("ORDERGATE_OPS_PORT") + "/ready", gateway);

    backend.delay(1_500);
    ExecutorService clients = Executors.newFixedThreadPool(10);
    List<Future<Integer>> inFlight = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      inFlight.add(
          clients.submit(
              () ->
                  GatewayHarness.send(
                          HttpRequest.newBuilder(URI.create(traffic + "/orders"))
                              .header("Authorization", "Bearer " + Demo.keyOf("web"))
                              .header("X-Upstream-Environment", "production")
                              .POST(HttpRequest.BodyPublishers.ofString("{}")))
                      .statusCode()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (backend.received().size() < 10 && System.nanoTime() < deadline) {
      GatewayHarness.sleep(20);
    }
    assertThat(backend.received()).hasSize(10);

    gateway.destroy(); // SIGTERM
    for (Future<Integer> f : inFlight) {
      assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(201);
    }
    assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(gateway.exitValue()).as("a drained SIGTERM stop is a normal end").isZero();
    long rows =
        Await.result(pool.query("SELECT count(*) FROM audit").execute(), 30)
            .iterator()
            .next()
            .getLong(0);
    assertThat(rows).as("every in-flight order audited before exit").isEqualTo(10);

    clients.shutdown();
    Await.result(pool.close(), 30);
    backend.close();
    vertx.close();
  }
}
