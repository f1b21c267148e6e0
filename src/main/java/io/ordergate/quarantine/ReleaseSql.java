package io.ordergate.quarantine;

import static io.ordergate.quarantine.QuarantineStore.time;

import io.ordergate.db.StoredHeaders;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;

/**
 * The SQL of a release, each step on the release's own connection (never the pool), so that the
 * advisory lock that makes it the only releaser of its source lives exactly as long as they do.
 * Kept apart from {@link QuarantineStore}, whose pooled queries serve intake and the ops API.
 */
final class ReleaseSql {
  /**
   * Held orders of a source, or the named ones that are held or in doubt; $2 bounds the id, $3 the
   * ids.
   */
  private static final String SELECTED_HELD = "source_id = $1 AND id <= $2 AND state = 'held'";

  private static final String SELECTED_IDS =
      "source_id = $1 AND id <= $2 AND id = ANY($3) AND state IN ('held', 'in_doubt')";
  private static final String SNAPSHOT =
      "SELECT count(*), coalesce(max(id), 0) FROM quarantine WHERE ";

  /**
   * One order at a time, oldest first; SKIP LOCKED so a concurrent claim never waits on this one.
   */
  private static final String CLAIM =
      """
      UPDATE quarantine q SET state = 'releasing'
      FROM (SELECT id, state FROM quarantine WHERE %s ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) c
      WHERE q.id = c.id
      RETURNING q.id, q.request_id, q.method, q.path, q.headers, q.body, c.state""";

  private static final String SETTLE =
      """
      UPDATE quarantine SET state = $2, reason = coalesce($3, reason), decided_at = coalesce($4, decided_at),
             backend_status = $5, backend_order_id = $6, backend_error = $7
      WHERE id = $1 AND state = 'releasing'""";
  private static final String INTERRUPTED =
      """
      UPDATE quarantine SET state = 'in_doubt', decided_at = $2,
             backend_error = 'a release stopped after claiming this order: it may or may not have reached the order system'
      WHERE source_id = $1 AND state = 'releasing'""";
  private static final String TRY_LOCK = "SELECT pg_try_advisory_lock($1, $2)";

  /**
   * Namespace of the per-source release locks (the two-int advisory lock form); any constant works.
   */
  private static final int RELEASE_LOCK_SPACE = 0x5152_4c53;

  private ReleaseSql() {}

  /**
   * Takes the source's release lock for the life of {@code conn}; false if another connection has
   * it.
   */
  static Future<Boolean> tryLock(SqlClient conn, String source) {
    return conn.preparedQuery(TRY_LOCK)
        .execute(Tuple.of(RELEASE_LOCK_SPACE, source.hashCode()))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /**
   * A row still 'releasing' under our lock was claimed by a release that died: it may have been
   * sent.
   */
  static Future<Integer> markInterrupted(SqlClient conn, String source, Instant at) {
    return conn.preparedQuery(INTERRUPTED)
        .execute(Tuple.of(source, time(at)))
        .map(rows -> rows.rowCount());
  }

  /** See {@link QuarantineStore#snapshot}. */
  static Future<long[]> snapshot(SqlClient conn, Selection selection) {
    String sql = SNAPSHOT + (selection.byIds() ? SELECTED_IDS : SELECTED_HELD);
    return conn.preparedQuery(sql)
        .execute(args(selection, Long.MAX_VALUE))
        .map(
            rows -> {
              Row r = rows.iterator().next();
              return new long[] {r.getLong(0), r.getLong(1)};
            });
  }

  /**
   * Claims the oldest selected order up to {@code maxId}: it is 'releasing' once this completes.
   */
  static Future<Optional<Claimed>> claimNext(SqlClient conn, Selection selection, long maxId) {
    String sql = CLAIM.formatted(selection.byIds() ? SELECTED_IDS : SELECTED_HELD);
    return conn.preparedQuery(sql)
        .execute(args(selection, maxId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              return Optional.of(
                  new Claimed(
                      r.getLong(0),
                      selection.source(),
                      r.getString(1),
                      r.getString(2),
                      r.getString(3),
                      StoredHeaders.fromJson(r.getJsonArray(4)),
                      r.getBuffer(5),
                      r.getString(6)));
            });
  }

  /**
   * Ends the claim: released, in_doubt, or back to its previous state; null reason and time keep
   * the old ones.
   */
  static Future<Void> settle(
      SqlClient conn,
      long id,
      String state,
      String reason,
      Instant at,
      Integer status,
      String orderId,
      String error) {
    return conn.preparedQuery(SETTLE)
        .execute(Tuple.of(id, state, reason, time(at), status, orderId, error))
        .mapEmpty();
  }

  private static Tuple args(Selection selection, long maxId) {
    Tuple t = Tuple.of(selection.source(), maxId);
    return selection.byIds() ? t.addArrayOfLong(selection.idArray()) : t;
  }
}
