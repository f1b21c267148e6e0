package io.ordergate.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daily partitions of the audit tables (UTC days): created a few days ahead, dropped whole once
 * older than the retention. Runs under the migrations' advisory lock, tried without waiting: when
 * another replica holds it, that replica does the work.
 *
 * <p>Autovacuum leaves a partition alone while its day is open ({@link #OPEN}): the rows only ever
 * arrive at its end, so autovacuum's insert-triggered VACUUM and its ANALYZE would run on it every
 * minute of the day, on the cores the gateway and the COPYs need. The first run after its day ends
 * hands it back ({@link #CLOSE}): autovacuum then vacuums and analyzes it once, freezing every row
 * on the way, so that no anti-wraparound VACUUM has to rewrite it later. Nothing is lost meanwhile:
 * the rows are only ever inserted (no dead rows to reclaim, bar an aborted COPY's), and a day's
 * transactions are far fewer than autovacuum_freeze_max_age (autovacuum still forces a VACUUM past
 * it, whatever the setting).
 */
public final class Partitions {
  private static final Logger LOG = LoggerFactory.getLogger(Partitions.class);
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

  /** Days ahead of today that have their partitions. */
  public static final int DAYS_AHEAD = 3;

  /** The storage parameters of a partition whose day has not ended. */
  static final String OPEN = "autovacuum_enabled=false";

  /** What a partition gets once its day has ended. */
  static final String CLOSE = "RESET (autovacuum_enabled), SET (autovacuum_freeze_min_age = 0)";

  /** A partitioned table and its partition key. */
  private record Table(String name, String key) {}

  private static final List<Table> TABLES =
      List.of(new Table("audit", "received_at"), new Table("audit_refusals", "second"));

  /** What one run did. */
  public record Maintained(List<String> created, List<String> dropped) {}

  private final Pool pool;
  private final Clock clock;
  private final int retentionDays;

  public Partitions(Pool pool, Clock clock, int retentionDays) {
    this.pool = pool;
    this.clock = clock;
    this.retentionDays = retentionDays;
  }

  /** Never fails: a run that could not finish is logged and the next one tries again. */
  public Future<Maintained> maintain() {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    Maintained done = new Maintained(new ArrayList<>(), new ArrayList<>());
    return pool.withConnection(
            conn ->
                conn.query("SELECT pg_try_advisory_lock(" + Migrations.LOCK_KEY + ")")
                    .execute()
                    .compose(
                        rows -> {
                          if (!rows.iterator().next().getBoolean(0)) {
                            return Future.succeededFuture(done);
                          }
                          Future<Void> chain = Future.succeededFuture();
                          for (Table t : TABLES) {
                            chain = chain.compose(v -> maintain(conn, t, today, done));
                          }
                          return chain
                              .map(done)
                              .eventually(
                                  () ->
                                      conn.query(
                                              "SELECT pg_advisory_unlock("
                                                  + Migrations.LOCK_KEY
                                                  + ")")
                                          .execute());
                        }))
        .onSuccess(
            m -> {
              if (!m.dropped().isEmpty()) {
                LOG.info("Audit retention ({} days): dropped {}", retentionDays, m.dropped());
              }
            })
        .recover(
            e -> {
              LOG.warn("Audit partition upkeep failed, retried later: {}", e.getMessage());
              return Future.succeededFuture(done);
            });
  }

  private Future<Void> maintain(SqlConnection conn, Table t, LocalDate today, Maintained done) {
    LocalDate oldestKept = today.minusDays(retentionDays);
    Future<Void> chain = Future.succeededFuture();
    for (LocalDate d = today.minusDays(1);
        !d.isAfter(today.plusDays(DAYS_AHEAD));
        d = d.plusDays(1)) {
      LocalDate day = d;
      if (day.isBefore(oldestKept)) {
        continue;
      }
      chain = chain.compose(v -> create(conn, t, day, today, done));
    }
    Pattern name = Pattern.compile("^" + t.name() + "_p(\\d{8})$");
    return chain
        .compose(
            v ->
                conn.preparedQuery(
                        "SELECT c.relname, coalesce(array_to_string(c.reloptions, ','), '')"
                            + " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                            + " WHERE i.inhparent = $1::regclass ORDER BY 1")
                    .execute(Tuple.of(t.name())))
        .compose(
            rows -> {
              Future<Void> upkeep = Future.succeededFuture();
              for (Row r : rows) {
                Matcher m = name.matcher(r.getString(0));
                if (!m.matches()) {
                  continue;
                }
                String partition = r.getString(0);
                LocalDate day = LocalDate.parse(m.group(1), DAY);
                boolean open = r.getString(1).contains(OPEN);
                if (day.isBefore(oldestKept)) {
                  upkeep =
                      upkeep.compose(
                          x ->
                              conn.query("DROP TABLE " + partition)
                                  .execute()
                                  .onSuccess(y -> done.dropped().add(partition))
                                  .mapEmpty());
                } else if (day.isBefore(today) && open) {
                  upkeep = upkeep.compose(x -> alter(conn, partition, CLOSE));
                } else if (!day.isBefore(today) && !open) {
                  upkeep = upkeep.compose(x -> alter(conn, partition, "SET (" + OPEN + ")"));
                }
              }
              return upkeep;
            })
        .compose(
            v ->
                conn.preparedQuery(
                        "DELETE FROM " + t.name() + "_default WHERE " + t.key() + " < $1")
                    .execute(Tuple.of(OffsetDateTime.of(oldestKept.atStartOfDay(), ZoneOffset.UTC)))
                    .mapEmpty());
  }

  /** Autovacuum settings of one partition; a failure is logged and tried again next run. */
  private static Future<Void> alter(SqlConnection conn, String partition, String change) {
    return conn.query("ALTER TABLE " + partition + " " + change)
        .execute()
        .<Void>mapEmpty()
        .recover(
            e -> {
              LOG.warn("Could not set autovacuum of {}: {}", partition, e.getMessage());
              return Future.succeededFuture();
            });
  }

  /** A day whose rows already sit in the default partition cannot get its own: logged, kept. */
  private Future<Void> create(
      SqlConnection conn, Table t, LocalDate day, LocalDate today, Maintained done) {
    String partition = t.name() + "_p" + DAY.format(day);
    String sql =
        "CREATE TABLE IF NOT EXISTS %s PARTITION OF %s FOR VALUES FROM ('%s 00:00:00+00') TO ('%s 00:00:00+00')%s"
            .formatted(
                partition,
                t.name(),
                day,
                day.plusDays(1),
                day.isBefore(today) ? "" : " WITH (" + OPEN + ")");
    return conn.preparedQuery("SELECT to_regclass($1) IS NULL")
        .execute(Tuple.of(partition))
        .compose(
            rows ->
                rows.iterator().next().getBoolean(0)
                    ? conn.query(sql).execute().onSuccess(x -> done.created().add(partition))
                    : Future.succeededFuture())
        .<Void>mapEmpty()
        .recover(
            e -> {
              LOG.warn("Could not create audit partition {}: {}", partition, e.getMessage());
              return Future.succeededFuture();
            });
  }
}
