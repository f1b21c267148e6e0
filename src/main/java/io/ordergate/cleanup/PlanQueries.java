package io.ordergate.cleanup;

import static io.ordergate.cleanup.CleanupStore.instant;
import static io.ordergate.cleanup.CleanupStore.window;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The clean-up's queries over the audit table: what a window holds (the dry run) and turning it
 * into a run's items. They are the only SQL of the clean-up that reads the audit table, kept
 * together so that they all select exactly the same rows ({@link #WINDOW}).
 */
final class PlanQueries {
  /**
   * The only rows a clean-up may touch, with $1 source, $2 since, $3 until: this source's POSTs to
   * the order collection (a POST under {@code /orders/<id>/...} acts on an order that exists, maybe
   * another source's, and its answer names that order) that the order system accepted (2xx),
   * forwarded by the gateway or released from quarantine (whose path keeps its query), received in
   * [since, until). Every query below that reads the audit table uses exactly this condition.
   */
  static final String WINDOW =
      """
      a.source_id = $1
        AND a.received_at >= $2 AND a.received_at < $3
        AND a.decision IN ('forwarded', 'released')
        AND a.method = 'POST'
        AND split_part(a.path, '?', 1) IN ('/orders', '/orders/')
        AND a.status BETWEEN 200 AND 299""";

  /** Order ids this source's runs other than $4 have already cancelled, or found gone. */
  private static final String DONE_ELSEWHERE =
      """
      SELECT 1 FROM cleanup_items d
      WHERE d.source_id = $1 AND d.order_id = a.backend_order_id AND d.state IN ('cancelled', 'gone') AND d.run_id <> $4""";

  private static final String PLAN =
      """
      SELECT count(*),
             count(*) FILTER (WHERE NULLIF(a.backend_order_id, '') IS NULL),
             count(DISTINCT NULLIF(a.backend_order_id, '')),
             count(DISTINCT a.backend_order_id) FILTER (WHERE NULLIF(a.backend_order_id, '') IS NOT NULL AND EXISTS (%s))
      FROM audit a WHERE %s"""
          .formatted(DONE_ELSEWHERE, WINDOW);
  private static final String SAMPLE =
      """
      SELECT a.backend_order_id, a.received_at, a.request_id, a.path FROM audit a
      WHERE %s AND NULLIF(a.backend_order_id, '') IS NOT NULL AND NOT EXISTS (%s)
      ORDER BY a.received_at, a.id LIMIT $5"""
          .formatted(WINDOW, DONE_ELSEWHERE);
  private static final String PLAN_ITEMS =
      """
      INSERT INTO cleanup_items(run_id, source_id, order_id, received_at)
      SELECT $4, $1, a.backend_order_id, min(a.received_at) FROM audit a
      WHERE %s AND NULLIF(a.backend_order_id, '') IS NOT NULL AND NOT EXISTS (%s)
      GROUP BY a.backend_order_id
      ORDER BY min(a.received_at), a.backend_order_id
      ON CONFLICT (run_id, order_id) DO NOTHING"""
          .formatted(WINDOW, DONE_ELSEWHERE);

  private final Pool pool;

  PlanQueries(Pool pool) {
    this.pool = pool;
  }

  /**
   * The dry run; {@code excludeRun} is a run whose own progress does not count as "already
   * cancelled" (0 for none).
   */
  Future<CleanupPlan> plan(CleanupWindow w, int sampleSize, long excludeRun) {
    Tuple args = window(w).addLong(excludeRun);
    return pool.preparedQuery(PLAN)
        .execute(args)
        .compose(
            stats -> {
              Row s = stats.iterator().next();
              return pool.preparedQuery(SAMPLE)
                  .execute(window(w).addLong(excludeRun).addLong((long) sampleSize))
                  .map(
                      rows -> {
                        List<CleanupPlan.SampleOrder> sample = new ArrayList<>();
                        rows.forEach(
                            r ->
                                sample.add(
                                    new CleanupPlan.SampleOrder(
                                        r.getString(0),
                                        instant(r.getOffsetDateTime(1)),
                                        r.getString(2),
                                        r.getString(3))));
                        return new CleanupPlan(
                            w, s.getLong(0), s.getLong(1), s.getLong(2), s.getLong(3), sample);
                      });
            });
  }

  /**
   * Adds the window's orders that are not yet items of the run (new audit rows included); returns
   * how many.
   */
  Future<Integer> planItems(long runId, CleanupWindow w) {
    return pool.preparedQuery(PLAN_ITEMS)
        .execute(window(w).addLong(runId))
        .map(rows -> rows.rowCount());
  }
}
