package io.ordergate.cleanup;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All SQL of the clean-up: runs and their items, which record each execution's progress. The
 * queries that read the audit table (what a run would cancel) are in {@link PlanQueries}; this
 * class hands them on, so callers keep one store.
 */
public final class CleanupStore {
  private static final String LOCK =
      "SELECT pg_try_advisory_lock(" + CleanupStore.LOCK_CLASS + ", hashtext($1))";

  /** First key of the per-source advisory lock ("ogcl"); the second is the source id's hash. */
  static final int LOCK_CLASS = 0x6f67636c;

  private static final String OPEN_RUN =
      """
      INSERT INTO cleanup_runs(source_id, since, until, cancel_request, instance_id) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (source_id, since, until) DO UPDATE
        SET state = 'running', cancel_request = EXCLUDED.cancel_request, instance_id = EXCLUDED.instance_id,
            started_at = now(), finished_at = NULL, stop_requested = false
      RETURNING id""";
  private static final String COUNT_TODO =
      "SELECT count(*) FROM cleanup_items WHERE run_id = $1 AND state IN ('pending', 'failed')";
  private static final String PAGE =
      """
      SELECT id, order_id FROM cleanup_items
      WHERE run_id = $1 AND state IN ('pending', 'failed') AND id > $2 ORDER BY id LIMIT $3""";
  private static final String RECORD =
      """
      UPDATE cleanup_items SET state = $2, status = $3, error = $4, attempts = attempts + 1, updated_at = now() WHERE id = $1""";
  private static final String REQUEST_STOP =
      "UPDATE cleanup_runs SET stop_requested = true WHERE id = $1 AND state = 'running'";
  private static final String STOP_REQUESTED =
      "SELECT stop_requested FROM cleanup_runs WHERE id = $1";
  private static final String FINISH =
      "UPDATE cleanup_runs SET state = $2, finished_at = now() WHERE id = $1";
  private static final String RUN =
      """
      SELECT source_id, since, until, state, instance_id, cancel_request, started_at, finished_at FROM cleanup_runs WHERE id = $1""";
  private static final String RUNNING =
      "SELECT id, instance_id, started_at FROM cleanup_runs WHERE source_id = $1 AND state = 'running' ORDER BY started_at DESC LIMIT 1";
  private static final String BY_STATE =
      "SELECT state, count(*) FROM cleanup_items WHERE run_id = $1 GROUP BY state";
  private static final String FAILURES =
      """
      SELECT COALESCE('HTTP ' || status, error, 'unknown') AS reason, count(*) FROM cleanup_items
      WHERE run_id = $1 AND state = 'failed' GROUP BY reason ORDER BY count(*) DESC, reason LIMIT 20""";

  /** One order to cancel. */
  public record Item(long id, String orderId) {}

  private final Pool pool;
  private final PlanQueries plans;

  public CleanupStore(Pool pool) {
    this.pool = pool;
    this.plans = new PlanQueries(pool);
  }

  /**
   * The dry run; {@code excludeRun} is a run whose own progress does not count as "already
   * cancelled" (0 for none).
   */
  public Future<CleanupPlan> plan(CleanupWindow w, int sampleSize, long excludeRun) {
    return plans.plan(w, sampleSize, excludeRun);
  }

  /**
   * Takes this source's clean-up lock on a connection of its own; it is held until that connection
   * closes.
   */
  public static Future<Boolean> tryLock(SqlConnection conn, String source) {
    return conn.preparedQuery(LOCK)
        .execute(Tuple.of(source))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /** Creates the run for this window, or takes over the one that exists; returns its id. */
  public Future<Long> openRun(CleanupWindow w, String cancelRequest, String instanceId) {
    return pool.preparedQuery(OPEN_RUN)
        .execute(window(w).addString(cancelRequest).addString(instanceId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Adds the window's orders that are not yet items of the run (new audit rows included); returns
   * how many.
   */
  public Future<Integer> planItems(long runId, CleanupWindow w) {
    return plans.planItems(runId, w);
  }

  public Future<Long> countTodo(long runId) {
    return pool.preparedQuery(COUNT_TODO)
        .execute(Tuple.of(runId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Items still to send, after {@code afterId}, oldest order first. */
  public Future<List<Item>> page(long runId, long afterId, int limit) {
    return pool.preparedQuery(PAGE)
        .execute(Tuple.of(runId, afterId, (long) limit))
        .map(
            rows -> {
              List<Item> out = new ArrayList<>();
              rows.forEach(r -> out.add(new Item(r.getLong(0), r.getString(1))));
              return out;
            });
  }

  public Future<Void> record(long itemId, CancelOutcome outcome) {
    return pool.preparedQuery(RECORD)
        .execute(Tuple.of(itemId, outcome.result().state(), outcome.status(), outcome.error()))
        .mapEmpty();
  }

  public Future<Void> finish(long runId, String state) {
    return pool.preparedQuery(FINISH).execute(Tuple.of(runId, state)).mapEmpty();
  }

  /** Asks the process running it to stop; false when the run is not marked running. */
  public Future<Boolean> requestStop(long runId) {
    return pool.preparedQuery(REQUEST_STOP)
        .execute(Tuple.of(runId))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Boolean> stopRequested(long runId) {
    return pool.preparedQuery(STOP_REQUESTED)
        .execute(Tuple.of(runId))
        .map(rows -> rows.size() == 1 && rows.iterator().next().getBoolean(0));
  }

  /** "run 7 on instance X since T" for a run of this source marked running, if any. */
  public Future<Optional<String>> describeRunning(String source) {
    return pool.preparedQuery(RUNNING)
        .execute(Tuple.of(source))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(describe(rows.iterator().next())));
  }

  private static String describe(Row r) {
    return "run "
        + r.getLong(0)
        + " on instance "
        + r.getString(1)
        + " since "
        + instant(r.getOffsetDateTime(2));
  }

  public Future<Optional<CleanupReport>> report(long runId) {
    return pool.preparedQuery(RUN)
        .execute(Tuple.of(runId))
        .compose(
            runs -> {
              if (runs.size() == 0) {
                return Future.succeededFuture(Optional.empty());
              }
              Row run = runs.iterator().next();
              CleanupWindow w =
                  new CleanupWindow(
                      run.getString(0),
                      instant(run.getOffsetDateTime(1)),
                      instant(run.getOffsetDateTime(2)));
              Future<Map<String, Long>> byState =
                  pool.preparedQuery(BY_STATE)
                      .execute(Tuple.of(runId))
                      .map(
                          rows -> {
                            Map<String, Long> out = new LinkedHashMap<>();
                            rows.forEach(r -> out.put(r.getString(0), r.getLong(1)));
                            return out;
                          });
              Future<Map<String, Long>> failures =
                  pool.preparedQuery(FAILURES)
                      .execute(Tuple.of(runId))
                      .map(
                          rows -> {
                            Map<String, Long> out = new LinkedHashMap<>();
                            rows.forEach(r -> out.put(r.getString(0), r.getLong(1)));
                            return out;
                          });
              Future<CleanupPlan> plan = plan(w, 0, runId);
              return Future.all(byState, failures, plan)
                  .map(
                      all -> {
                        Map<String, Long> states = byState.result();
                        return Optional.of(
                            new CleanupReport(
                                runId,
                                w,
                                run.getString(3),
                                run.getString(4),
                                run.getString(5),
                                instant(run.getOffsetDateTime(6)),
                                instant(run.getOffsetDateTime(7)),
                                states.getOrDefault("pending", 0L),
                                states.getOrDefault("cancelled", 0L),
                                states.getOrDefault("gone", 0L),
                                states.getOrDefault("failed", 0L),
                                failures.result(),
                                plan.result().withoutOrderId(),
                                plan.result().alreadyCancelled()));
                      });
            });
  }

  static Tuple window(CleanupWindow w) {
    return Tuple.tuple()
        .addString(w.source())
        .addOffsetDateTime(time(w.since()))
        .addOffsetDateTime(time(w.until()));
  }

  private static OffsetDateTime time(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
