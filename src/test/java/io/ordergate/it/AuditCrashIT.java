package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.config.Env;
import io.ordergate.db.Database;
import io.ordergate.demo.Demo;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Jar;
import io.ordergate.support.Load;
import io.ordergate.support.Scrape;
import io.ordergate.support.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the packaged gateway under load, then a restart on the same spool: every order the
 * client saw answered 2xx has its audit row, except those answered within the crash window (the
 * last flush interval, still in memory), and nothing is stored twice.
 */
class AuditCrashIT {
  /** The documented window is one flush interval (100 ms); this allows for a loaded machine. */
  static final long WINDOW_BOUND_MILLIS = 1_000;

  @Test
  void aKilledGatewayLosesAtMostItsLastFlushIntervalAndShipsTheRestAfterARestart()
      throws Exception {
    Vertx vertx = Gateway.newVertx();
    TestBackend backend = TestBackend.start(vertx);
    Map<String, String> env = GatewayHarness.settings(backend.url());
    GatewayHarness.withFlagsFile(env);
    env.put("ORDERGATE_AUDIT_FLUSH_MS", "100"); // the default
    Pool pool = Database.pool(vertx, DatabaseSettings.from(new Env(env)));
    Await.result(Demo.seedSources(pool), 60);
    String ready = "http://127.0.0.1:" + env.get("ORDERGATE_OPS_PORT") + "/ready";
    String ops = "http://127.0.0.1:" + env.get("ORDERGATE_OPS_PORT");

    Process first = start(env, "first");
    Jar.awaitReady(ready, first);
    Load web = Load.start(vertx, Integer.parseInt(env.get("ORDERGATE_HTTP_PORT")), "web", 16, true);
    long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (web.accepted().size() < 500 && System.nanoTime() < warm) {
      GatewayHarness.sleep(100); // a cold JVM on a busy machine: first get it answering
    }
    GatewayHarness.sleep(3_000);
    first.destroyForcibly(); // SIGKILL
    long killedAt = System.nanoTime();
    first.waitFor(30, TimeUnit.SECONDS);
    Map<Integer, Long> answers = web.stop();
    Map<String, Long> accepted = web.accepted();

    Process second = start(env, "second");
    try {
      Jar.awaitReady(ready, second);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String page = Scrape.page(ops);
      while (Scrape.sum(page, "ordergate_audit_buffer_depth") > 0 && System.nanoTime() < deadline) {
        GatewayHarness.sleep(200);
        page = Scrape.page(ops);
      }
      Set<String> rows = new HashSet<>();
      long total = 0;
      for (Row r :
          Await.result(
              pool.query("SELECT request_id FROM audit WHERE decision = 'forwarded'").execute(),
              30)) {
        rows.add(r.getString(0));
        total++;
      }
      List<Long> missingAgesMillis =
          accepted.entrySet().stream()
              .filter(e -> !rows.contains(e.getKey()))
              .map(e -> TimeUnit.NANOSECONDS.toMillis(killedAt - e.getValue()))
              .sorted()
              .toList();
      System.out.printf(
          "audit crash: %d orders answered 2xx before kill -9 (%s), %d rows after the restart"
              + " (%.0f replayed), %d answered 2xx without a row, answered %s ms before the kill;"
              + " the order system received %d%n",
          accepted.size(),
          answers,
          total,
          Scrape.sum(page, "ordergate_audit_replayed_total"),
          missingAgesMillis.size(),
          missingAgesMillis,
          backend.received().size());
      assertThat(total).as("no row stored twice").isEqualTo(rows.size());
      assertThat(accepted.size()).isPositive();
      assertThat(missingAgesMillis)
          .as("only orders answered in the last moments before the kill may lack their row")
          .allMatch(age -> age <= WINDOW_BOUND_MILLIS);
      // ordergate_audit_replayed_total may be 0: the first process may have shipped all it spooled.
    } finally {
      second.destroy();
      second.waitFor(60, TimeUnit.SECONDS);
      Await.result(pool.close(), 30);
      backend.close();
      vertx.close();
    }
  }

  private static Process start(Map<String, String> env, String name) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                Path.of("target", "order-gate.jar").toString(),
                "serve")
            .redirectErrorStream(true)
            .redirectOutput(
                Path.of("target", "audit-crash-" + name + "-" + System.nanoTime() + ".log")
                    .toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("ORDERGATE_") || k.startsWith("UNLEASH_"));
    pb.environment().putAll(env);
    return pb.start();
  }
}
