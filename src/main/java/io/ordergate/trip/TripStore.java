package io.ordergate.trip;

import io.ordergate.intervention.InterventionStore;
import io.ordergate.intervention.ReplicaStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** All SQL of the auto-trip: trip settings, the replicas' rates, the trip itself. */
public final class TripStore {
  /** After an operator's revive, the source is not tripped again for this long. */
  static final int REVIVE_GRACE_SECONDS = 60;

  private static final String SET_LIMIT =
      "UPDATE sources SET trip_rate = $2, trip_baseline = $3 WHERE id = $1";
  private static final String GET_LIMIT =
      "SELECT trip_rate, trip_baseline FROM sources WHERE id = $1";
  private static final String REPORT = "UPDATE replicas SET rates = $2 WHERE instance_id = $1";
  private static final String FLEET =
      "SELECT s.id, s.trip_rate, s.trip_baseline,"
          + " coalesce(sum((r.rates ->> s.id)::float8), 0) AS fleet_rate"
          + " FROM sources s LEFT JOIN replicas r ON r.stopped_at IS NULL"
          + " AND r.heartbeat_at > clock_timestamp() - $1 * interval '1 millisecond'"
          + " WHERE s.trip_rate IS NOT NULL OR s.trip_baseline IS NOT NULL"
          + " GROUP BY s.id, s.trip_rate, s.trip_baseline ORDER BY s.id";
  // Serialises the replicas that see the same flood: the second one finds the first one's trip.
  private static final String LOCK =
      "SELECT pg_advisory_xact_lock(hashtext('ordergate-trip:' || $1))";
  // The latest intervention of the source must be ended by Unleash, or a revive older than the
  // grace, or a rehearsal: a trip never replaces an operator's kill, hold or throttle, nor itself.
  private static final String TRIP =
      "WITH i AS (INSERT INTO interventions(source_id, action, enforces, rate_per_second, actor,"
          + " reason, unleash_change, created_at)"
          + " SELECT $1, 'trip', $2, $3, 'auto-trip', $4, 'none (automatic trip; Unleash unchanged)',"
          + " clock_timestamp()"
          + " WHERE NOT EXISTS (SELECT 1 FROM (SELECT action, created_at, superseded_at"
          + " FROM interventions WHERE source_id = $1 ORDER BY id DESC LIMIT 1) l"
          + " WHERE l.superseded_at IS NULL AND l.action <> 'shadow'"
          + " AND NOT (l.action = 'revive' AND l.created_at < clock_timestamp() - interval '"
          + REVIVE_GRACE_SECONDS
          + " seconds'))"
          + " RETURNING id)"
          + " SELECT i.id, pg_notify('"
          + InterventionStore.CHANNEL
          + "', i.id::text) FROM i";

  /** A source with trip settings and the fleet's writes per second of it. */
  record Fleet(String source, TripLimit limit, double rate) {}

  private final Pool pool;

  public TripStore(Pool pool) {
    this.pool = pool;
  }

  /** Sets (or with {@link TripLimit#NONE} clears) the source's trip settings; false: no source. */
  public Future<Boolean> setLimit(String source, TripLimit limit) {
    return pool.preparedQuery(SET_LIMIT)
        .execute(
            Tuple.of(
                source,
                limit.ratePerSecond() > 0 ? limit.ratePerSecond() : null,
                limit.baseline() > 0 ? limit.baseline() : null))
        .map(r -> r.rowCount() > 0);
  }

  /** The source's trip settings; null when there is no such source. */
  public Future<TripLimit> limit(String source) {
    return pool.preparedQuery(GET_LIMIT)
        .execute(Tuple.of(source))
        .map(rows -> rows.iterator().hasNext() ? toLimit(rows.iterator().next()) : null);
  }

  Future<Void> report(String instanceId, JsonObject rates) {
    return pool.preparedQuery(REPORT).execute(Tuple.of(instanceId, rates)).mapEmpty();
  }

  /** Per source with trip settings, the sum of the live replicas' rates. */
  Future<List<Fleet>> fleet() {
    return pool.preparedQuery(FLEET)
        .execute(Tuple.of(ReplicaStore.GONE_AFTER.toMillis()))
        .map(
            rows -> {
              List<Fleet> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new Fleet(
                        r.getString("id"),
                        toLimit(r),
                        ((Number) r.getValue("fleet_rate")).doubleValue()));
              }
              return out;
            });
  }

  /**
   * Publishes the trip unless another replica (or an operator) got there first; the id of the new
   * intervention, or 0.
   *
   * @param enforces {@code quarantine}, {@code throttle}, {@code reject}, or null for a rehearsal
   */
  Future<Long> trip(String source, String enforces, Integer ratePerSecond, String reason) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(LOCK)
                .execute(Tuple.of(source))
                .compose(
                    v ->
                        tx.preparedQuery(TRIP)
                            .execute(Tuple.of(source, enforces, ratePerSecond, reason)))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong(0) : 0L));
  }

  private static TripLimit toLimit(Row r) {
    Integer rate = r.getInteger("trip_rate");
    Double baseline = r.getDouble("trip_baseline");
    return new TripLimit(rate == null ? 0 : rate, baseline == null ? 0 : baseline);
  }
}
