package io.ordergate.quarantine;

import io.ordergate.db.StoredHeaders;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The quarantine table as intake and the ops API see it: holding an order, listing and counting
 * orders, discarding them. The steps of a release, which run on the release's own connection, are
 * in {@link ReleaseSql}.
 */
public final class QuarantineStore {
  public static final String HELD = "held";
  public static final String RELEASING = "releasing";
  public static final String RELEASED = "released";
  public static final String IN_DOUBT = "in_doubt";
  public static final String DISCARDED = "discarded";
  public static final java.util.Set<String> STATES =
      java.util.Set.of(HELD, RELEASING, RELEASED, IN_DOUBT, DISCARDED);

  /**
   * The state, or null; fails with an {@link IllegalArgumentException} if it is not one of {@link
   * #STATES}.
   */
  public static String checkState(String state) {
    if (state != null && !STATES.contains(state)) {
      throw new IllegalArgumentException(
          "state must be one of " + STATES.stream().sorted().toList() + ", was '" + state + "'");
    }
    return state;
  }

  private static final String HOLD =
      """
      INSERT INTO quarantine(source_id, request_id, method, path, headers, body, received_at, instance_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id""";
  private static final String LIST =
      """
      SELECT id, source_id, request_id, method, path, octet_length(body), received_at, instance_id, state, reason,
             decided_at, backend_status, backend_order_id, backend_error
      FROM quarantine
      WHERE ($1::text IS NULL OR source_id = $1) AND ($2::text IS NULL OR state = $2)
        AND ($3::timestamptz IS NULL OR received_at >= $3) AND id > $4
      ORDER BY id LIMIT $5""";
  private static final String COUNTS =
      """
      SELECT source_id, state, count(*) FROM quarantine WHERE ($1::text IS NULL OR source_id = $1)
      GROUP BY source_id, state ORDER BY source_id, state""";
  private static final String HELD_BY_SOURCE =
      "SELECT source_id, count(*) FROM quarantine WHERE state = 'held' GROUP BY source_id";
  private static final String SOURCES_OF =
      "SELECT DISTINCT source_id FROM quarantine WHERE id = ANY($1) ORDER BY source_id";
  private static final String DISCARD =
      """
      WITH d AS (
        UPDATE quarantine SET state = 'discarded', reason = $3, decided_at = $4
        WHERE ($1::text IS NULL OR source_id = $1) AND id <= $5
          AND CASE WHEN $2::bigint[] IS NULL THEN state = 'held' ELSE id = ANY($2) AND state IN ('held', 'in_doubt') END
        RETURNING source_id)
      SELECT source_id, count(*) FROM d GROUP BY source_id ORDER BY source_id""";

  /** Orders in one hold transaction at most (see {@link HoldBatches}). */
  static final int MAX_HOLD_BATCH = 64;

  private final Pool pool;
  private final String instanceId;
  private final HoldBatches holds;

  /** For commands: holds (which they do not make) would take one connection at a time. */
  public QuarantineStore(Pool pool, String instanceId) {
    this(pool, instanceId, 1);
  }

  /**
   * @param holdConnections connections of {@code pool} that storing held orders takes at most (the
   *     rest stay free for idempotency keys and the ops API's reads)
   */
  public QuarantineStore(Pool pool, String instanceId, int holdConnections) {
    this.pool = pool;
    this.instanceId = instanceId;
    this.holds = new HoldBatches(pool, HOLD, MAX_HOLD_BATCH, holdConnections);
  }

  public Pool pool() {
    return pool;
  }

  /**
   * Stores the order; the future completes with its id only once PostgreSQL has committed it,
   * together with the other orders that arrived while the last batch was being written.
   */
  public Future<Long> hold(HeldOrder order) {
    Tuple args =
        Tuple.tuple()
            .addString(order.sourceId())
            .addString(order.requestId())
            .addString(order.method())
            .addString(order.pathAndQuery())
            .addValue(StoredHeaders.toJson(order.headers()))
            .addBuffer(order.body())
            .addOffsetDateTime(time(order.receivedAt()))
            .addString(instanceId);
    return holds.hold(args);
  }

  /**
   * Orders in arrival order (oldest first), after the id cursor {@code after}; null filters match
   * all.
   */
  public Future<List<QuarantinedOrder>> list(
      String source, String state, Instant since, long after, int limit) {
    return pool.preparedQuery(LIST)
        .execute(Tuple.of(source, state, time(since), after, limit))
        .map(
            rows -> {
              List<QuarantinedOrder> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new QuarantinedOrder(
                        r.getLong(0),
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getInteger(5),
                        instant(r.getOffsetDateTime(6)),
                        r.getString(7),
                        r.getString(8),
                        r.getString(9),
                        instant(r.getOffsetDateTime(10)),
                        r.getInteger(11),
                        r.getString(12),
                        r.getString(13)));
              }
              return out;
            });
  }

  /** Orders per source and state; one source or, with null, all. */
  public Future<Map<String, Map<String, Long>>> counts(String source) {
    return pool.preparedQuery(COUNTS)
        .execute(Tuple.of(source))
        .map(
            rows -> {
              Map<String, Map<String, Long>> out = new TreeMap<>();
              rows.forEach(
                  r ->
                      out.computeIfAbsent(r.getString(0), s -> new TreeMap<>())
                          .put(r.getString(1), r.getLong(2)));
              return out;
            });
  }

  /** Orders held right now, per source (for the gauge; uses the partial index of held orders). */
  public Future<Map<String, Long>> heldBySource() {
    return pool.query(HELD_BY_SOURCE).execute().map(QuarantineStore::countsBySource);
  }

  /** The sources the given orders belong to. */
  public Future<List<String>> sourcesOf(List<Long> ids) {
    return pool.preparedQuery(SOURCES_OF)
        .execute(Tuple.of(ids.toArray(Long[]::new)))
        .map(
            rows -> {
              List<String> out = new ArrayList<>();
              rows.forEach(r -> out.add(r.getString(0)));
              return out;
            });
  }

  /** Marks the selected orders discarded at once; answers how many per source. */
  public Future<Map<String, Long>> discard(Selection selection, Instant at) {
    return discard(selection, at, Long.MAX_VALUE);
  }

  /**
   * Like {@link #discard(Selection, Instant)}, but only orders up to {@code maxId}: the newest
   * order of a {@link #snapshot} an operator confirmed, so orders held after it are not discarded
   * unseen.
   */
  public Future<Map<String, Long>> discard(Selection selection, Instant at, long maxId) {
    return pool.preparedQuery(DISCARD)
        .execute(
            Tuple.of(selection.source(), selection.idArray(), selection.reason(), time(at), maxId))
        .map(QuarantineStore::countsBySource);
  }

  /**
   * How many orders the selection (which names its source) holds now, and the newest id: orders
   * arriving later are not part of it. Returns {count, max id}. A release counts its selection with
   * this; an operator confirming a discard sees the same figures.
   */
  public Future<long[]> snapshot(SqlClient conn, Selection selection) {
    return ReleaseSql.snapshot(conn, selection);
  }

  private static Map<String, Long> countsBySource(io.vertx.sqlclient.RowSet<Row> rows) {
    Map<String, Long> out = new LinkedHashMap<>();
    rows.forEach(r -> out.put(r.getString(0), r.getLong(1)));
    return out;
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  static OffsetDateTime time(Instant t) {
    return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }
}
