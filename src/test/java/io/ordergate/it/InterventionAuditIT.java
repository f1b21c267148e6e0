package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.demo.UnleashServer;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Jar;
import io.ordergate.support.TestBackend;
import io.ordergate.support.TestUnleash;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who stopped these orders: a confirmed kill by an operator, then the source's refused writes.
 * Their audit rows (and the refusal counts beyond the sample) name the intervention, which names
 * the operator; rows Unleash alone decided name none. Real Unleash (its own: the kill changes it),
 * a gateway with its database, the command as a process.
 */
class InterventionAuditIT {
  static UnleashServer unleash;
  static Vertx vertx;
  static TestBackend backend;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    unleash = TestUnleash.startOwn();
    vertx = Gateway.newVertx();
    backend = TestBackend.start(vertx);
    Map<String, String> env =
        GatewayHarness.withUnleash(GatewayHarness.settings(backend.url()), unleash);
    // One row per source and second, the rest counted: so the counts must name the intervention
    // too.
    env.put("ORDERGATE_AUDIT_SAMPLE_PER_SECOND", "1");
    gateway = GatewayHarness.start(vertx, env);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (backend != null) {
      backend.close();
    }
    if (vertx != null) {
      vertx.close();
    }
    if (unleash != null) {
      unleash.close();
    }
  }

  @Test
  void theAuditOfARefusedWriteNamesTheOperatorWhoKilledItsSource() {
    assertThat(gateway.order("perftest").statusCode()).isEqualTo(201);

    Jar.Run kill = cli("kill", "perftest", "--by", "alice", "--reason", "INC-9 runaway test rig");
    assertThat(kill.exit()).as(kill.out()).isZero();
    assertThat(gateway.order("perftest").statusCode()).isEqualTo(503);
    assertThat(gateway.order("web").statusCode()).isEqualTo(201);

    await(
        () -> !query(STOPPED_BY, "perftest").isEmpty(),
        "an audited refusal of perftest that names its intervention");
    Row row = query(STOPPED_BY, "perftest").get(0);
    assertThat(row.getString("actor")).isEqualTo("alice");
    assertThat(row.getString("reason")).isEqualTo("INC-9 runaway test rig");
    assertThat(row.getString("action")).isEqualTo("kill");
    assertThat(row.getInteger("status")).isEqualTo(503);

    // Unleash alone decided these: no intervention on web, nor on perftest before the kill.
    // The audit ships asynchronously: the web order may land in a later batch than the refusal.
    await(
        () -> count("SELECT count(*) FROM audit WHERE source_id = 'web'") > 0,
        "the web order's audit row");
    assertThat(
            count(
                "SELECT count(*) FROM audit WHERE source_id = 'web' AND intervention_id IS NOT NULL"))
        .isZero();
    assertThat(
            count(
                "SELECT count(*) FROM audit WHERE source_id = 'perftest' AND status = 201"
                    + " AND intervention_id IS NULL"))
        .isEqualTo(1);

    // Beyond the sample, refusals are counted per intervention too.
    await(
        () -> {
          for (int i = 0; i < 10; i++) {
            gateway.order("perftest");
          }
          return count(REFUSALS_BY_ALICE) > 0;
        },
        "refusals of perftest beyond the sample, counted under alice's kill");
    assertThat(
            count(
                "SELECT count(*) FROM audit_refusals WHERE source_id = 'perftest'"
                    + " AND intervention_id IS NULL"))
        .isZero();
  }

  static final String STOPPED_BY =
      """
      SELECT i.actor, i.reason, i.action, a.status FROM audit a
      JOIN interventions i ON i.id = a.intervention_id
      WHERE a.source_id = $1 AND a.decision = 'source-disabled'""";

  static final String REFUSALS_BY_ALICE =
      """
      SELECT coalesce(sum(r.count), 0) FROM audit_refusals r
      JOIN interventions i ON i.id = r.intervention_id
      WHERE r.source_id = 'perftest' AND i.actor = 'alice'""";

  static Jar.Run cli(String... args) {
    Map<String, String> env = new HashMap<>();
    env.put("UNLEASH_ADMIN_URL", unleash.baseUrl());
    env.put("UNLEASH_ADMIN_TOKEN", UnleashServer.ADMIN_TOKEN);
    env.put("ORDERGATE_DATABASE_URL", gateway.env().get("ORDERGATE_DATABASE_URL"));
    return Jar.run(env, args);
  }

  static List<Row> query(String sql, String source) {
    List<Row> out = new ArrayList<>();
    Await.result(gateway.pool().preparedQuery(sql).execute(Tuple.of(source)), 30).forEach(out::add);
    return out;
  }

  static long count(String sql) {
    return Await.result(gateway.pool().query(sql).execute(), 30).iterator().next().getLong(0);
  }

  static void await(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      GatewayHarness.sleep(100);
    }
    throw new AssertionError("not within 60 s: " + what);
  }
}
