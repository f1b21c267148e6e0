package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.cleanup.CleanupPlan;
import io.ordergate.cleanup.CleanupStore;
import io.ordergate.cleanup.CleanupWindow;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.db.Database;
import io.ordergate.db.Migrations;
import io.ordergate.db.Partitions;
import io.ordergate.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Day partitions over weeks of simulated time: retention drops whole partitions older than the
 * retention and nothing else, and a clean-up window that spans midnight finds the orders of both
 * days.
 */
class AuditPartitionsIT {
  static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
  static Vertx vertx;
  static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, new DatabaseSettings(TestDatabase.fresh("partitions"), 4));
    Await.result(Migrations.migrate(pool), 60);
  }

  @AfterAll
  static void stop() {
    Await.result(pool.close(), 30);
    Await.result(vertx.close(), 30);
  }

  static Clock at(LocalDate day) {
    return Clock.fixed(day.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
  }

  static void order(LocalDate day, int hour, int minute, int second, String orderId) {
    OffsetDateTime at = day.atTime(hour, minute, second, 500_000_000).atOffset(ZoneOffset.UTC);
    Await.result(
        pool.preparedQuery(
                "INSERT INTO audit(request_id, source_id, method, path, decision, status,"
                    + " backend_order_id, flag_revision, received_at, completed_at, instance_id)"
                    + " VALUES ($1, 'web', 'POST', '/orders', 'forwarded', 201, $2, 1, $3, $3, 'test')")
            .execute(Tuple.of("req-" + orderId, orderId, at)),
        30);
  }

  static long count(String sql) {
    return Await.result(pool.query(sql).execute(), 30).iterator().next().getLong(0);
  }

  static List<String> partitions(String table) {
    List<String> names = new ArrayList<>();
    for (Row r :
        Await.result(
            pool.preparedQuery(
                    "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        + " WHERE i.inhparent = $1::regclass ORDER BY 1")
                .execute(Tuple.of(table)),
            30)) {
      names.add(r.getString(0));
    }
    return names;
  }

  static String name(LocalDate day) {
    return "audit_p" + day.toString().replace("-", "");
  }

  @Test
  void retentionDropsWholeOldPartitionsAndAWindowOverMidnightFindsBothDays() {
    int[] daysAgo = {45, 35, 31, 30, 29, 1, 0};
    for (int k : daysAgo) {
      LocalDate day = TODAY.minusDays(k);
      Partitions.Maintained m = Await.result(new Partitions(pool, at(day), 365).maintain(), 60);
      assertThat(partitions("audit")).contains(name(day));
      if (k > Partitions.DAYS_AHEAD) { // nearer days: the migration made them
        assertThat(m.created()).contains(name(day.plusDays(Partitions.DAYS_AHEAD)));
      }
      order(day, 0, 0, 0, "ord-" + k + "-early");
      order(day, 23, 59, 59, "ord-" + k + "-late");
    }
    // A refusal count of a day that has no partition of its own: it sits in the default partition.
    Await.result(
        pool.preparedQuery(
                "INSERT INTO audit_refusals(second, source_id, decision, count, instance_id)"
                    + " VALUES ($1, 'perftest', 'source-disabled', 5, 'test')")
            .execute(Tuple.of(TODAY.minusDays(40).atStartOfDay().atOffset(ZoneOffset.UTC))),
        30);
    assertThat(count("SELECT count(*) FROM audit")).isEqualTo(14);

    Partitions.Maintained today = Await.result(new Partitions(pool, at(TODAY), 30).maintain(), 60);

    assertThat(today.dropped())
        .contains(name(TODAY.minusDays(45)), name(TODAY.minusDays(35)), name(TODAY.minusDays(31)))
        .allMatch(p -> p.compareTo(name(TODAY.minusDays(30))) < 0 || !p.startsWith("audit_p"));
    assertThat(partitions("audit"))
        .contains(name(TODAY.minusDays(30)), name(TODAY), name(TODAY.plusDays(3)));
    assertThat(count("SELECT count(*) FROM audit"))
        .as("the four days within the retention keep both their orders")
        .isEqualTo(8);
    assertThat(count("SELECT count(*) FROM audit WHERE backend_order_id = 'ord-30-early'"))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM audit_refusals")).isZero();

    CleanupStore cleanup = new CleanupStore(pool);
    Instant noonYesterday = TODAY.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
    Instant noonToday = TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC);
    CleanupPlan plan =
        Await.result(cleanup.plan(new CleanupWindow("web", noonYesterday, noonToday), 10, 0), 30);
    assertThat(plan.orders()).isEqualTo(2);
    assertThat(plan.sample())
        .extracting(CleanupPlan.SampleOrder::orderId)
        .containsExactly("ord-1-late", "ord-0-early");
  }

  static String options(String partition) {
    return Await.result(
            pool.preparedQuery(
                    "SELECT coalesce(array_to_string(reloptions, ','), '') FROM pg_class"
                        + " WHERE relname = $1")
                .execute(Tuple.of(partition)),
            30)
        .iterator()
        .next()
        .getString(0);
  }

  @Test
  void autovacuumWaitsUntilADayIsOverThenFreezesIt() {
    Await.result(new Partitions(pool, at(TODAY.minusDays(1)), 365).maintain(), 60);
    assertThat(options(name(TODAY.minusDays(1)))).contains("autovacuum_enabled=false");
    assertThat(options("audit_refusals_p" + TODAY.minusDays(1).toString().replace("-", "")))
        .contains("autovacuum_enabled=false");

    Await.result(new Partitions(pool, at(TODAY), 365).maintain(), 60);

    assertThat(options(name(TODAY.minusDays(1))))
        .as("yesterday is handed back to autovacuum, to be frozen in one pass")
        .doesNotContain("autovacuum_enabled")
        .contains("autovacuum_freeze_min_age=0");
    for (int k = 0; k <= Partitions.DAYS_AHEAD; k++) {
      String day = TODAY.plusDays(k).toString().replace("-", "");
      assertThat(options("audit_p" + day)).contains("autovacuum_enabled=false");
      assertThat(options("audit_refusals_p" + day)).contains("autovacuum_enabled=false");
    }
  }

  @Test
  void theMigrationKeepsTheRowsOfTheUnpartitionedTable() throws Exception {
    Pool old = Database.pool(vertx, new DatabaseSettings(TestDatabase.fresh("unpartitioned"), 2));
    try {
      StringBuilder before =
          new StringBuilder(
              "CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());");
      for (String v :
          List.of(
              "V001__sources.sql",
              "V002__audit.sql",
              "V003__quarantine.sql",
              "V004__idempotency.sql",
              "V005__cleanup.sql")) {
        try (var in = Migrations.class.getClassLoader().getResourceAsStream("db/" + v)) {
          before
              .append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
              .append(";\n");
        }
        before.append("INSERT INTO schema_migrations(version) VALUES ('").append(v).append("');\n");
      }
      Await.result(old.query(before.toString()).execute(), 60);
      for (int k : new int[] {200, 2, 0}) {
        Await.result(
            old.preparedQuery(
                    "INSERT INTO audit(request_id, source_id, method, path, decision, status,"
                        + " backend_order_id, flag_revision, received_at, completed_at, instance_id)"
                        + " VALUES ($1, 'web', 'POST', '/orders', 'forwarded', 201, $1, 1, $2, $2, 'old')")
                .execute(
                    Tuple.of("old-" + k, TODAY.minusDays(k).atTime(6, 0).atOffset(ZoneOffset.UTC))),
            30);
      }
      // Every migration after V005 applies, V006 (the partitioned audit) among them.
      long after =
          new String(
                  Migrations.class
                      .getClassLoader()
                      .getResourceAsStream("db/index.txt")
                      .readAllBytes(),
                  java.nio.charset.StandardCharsets.UTF_8)
              .lines()
              .filter(l -> l.startsWith("V") && l.compareTo("V005__cleanup.sql") > 0)
              .count();
      assertThat(after).isGreaterThanOrEqualTo(1);
      assertThat(Await.result(Migrations.migrate(old), 60)).isEqualTo((int) after);
      assertThat(
              Await.result(
                      old.query("SELECT count(*), count(DISTINCT id) FROM audit").execute(), 30)
                  .iterator()
                  .next()
                  .getLong(1))
          .isEqualTo(3);
      assertThat(
              Await.result(
                      old.query("SELECT count(*) FROM audit_default WHERE request_id = 'old-200'")
                          .execute(),
                      30)
                  .iterator()
                  .next()
                  .getLong(0))
          .as("a row older than 90 days goes to the default partition")
          .isEqualTo(1);
    } finally {
      Await.result(old.close(), 30);
    }
  }
}
