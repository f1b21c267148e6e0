package io.ordergate.intervention;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The replica registry: who runs, since when, what each one enforces. */
public final class ReplicaStore {
  /** A replica whose last heartbeat is older than this is gone: shown, never counted. */
  public static final Duration GONE_AFTER = Duration.ofSeconds(3);

  private static final String REGISTER =
      "INSERT INTO replicas(instance_id, host, traffic_port, ops_port, started_at, heartbeat_at, state)"
          + " VALUES ($1, $2, $3, $4, clock_timestamp(), clock_timestamp(), $5)"
          + " ON CONFLICT (instance_id) DO UPDATE SET host = EXCLUDED.host, traffic_port = EXCLUDED.traffic_port,"
          + " ops_port = EXCLUDED.ops_port, started_at = EXCLUDED.started_at, heartbeat_at = EXCLUDED.heartbeat_at,"
          + " stopped_at = NULL, applied_intervention = 0, state = EXCLUDED.state";
  private static final String PURGE =
      "DELETE FROM replicas WHERE coalesce(stopped_at, heartbeat_at) < now() - interval '1 day'";
  private static final String HEARTBEAT =
      "UPDATE replicas SET heartbeat_at = clock_timestamp(), applied_intervention = $2, state = $3"
          + " WHERE instance_id = $1 AND stopped_at IS NULL";
  private static final String STOP =
      "UPDATE replicas SET stopped_at = clock_timestamp() WHERE instance_id = $1";
  private static final String LIST =
      "SELECT instance_id, host, traffic_port, ops_port, started_at, heartbeat_at, stopped_at,"
          + " applied_intervention, state,"
          + " stopped_at IS NULL AND heartbeat_at > clock_timestamp() - $1 * interval '1 millisecond' AS live,"
          + " extract(epoch FROM clock_timestamp() - heartbeat_at) * 1000 AS age_ms"
          + " FROM replicas WHERE coalesce(stopped_at, heartbeat_at) > now() - interval '1 hour'"
          + " ORDER BY instance_id";

  private final Pool pool;

  public ReplicaStore(Pool pool) {
    this.pool = pool;
  }

  Future<Void> register(String instanceId, String host, int trafficPort, int opsPort) {
    return pool.query(PURGE)
        .execute()
        .compose(
            v ->
                pool.preparedQuery(REGISTER)
                    .execute(Tuple.of(instanceId, host, trafficPort, opsPort, new JsonObject())))
        .mapEmpty();
  }

  Future<Void> heartbeat(String instanceId, long appliedIntervention, JsonObject state) {
    return pool.preparedQuery(HEARTBEAT)
        .execute(Tuple.of(instanceId, appliedIntervention, state))
        .mapEmpty();
  }

  Future<Void> stop(String instanceId) {
    return pool.preparedQuery(STOP).execute(Tuple.of(instanceId)).mapEmpty();
  }

  /** Replicas seen within the last hour, live or gone. */
  public Future<List<Replica>> list() {
    return pool.preparedQuery(LIST)
        .execute(Tuple.of(GONE_AFTER.toMillis()))
        .map(
            rows -> {
              List<Replica> out = new ArrayList<>();
              for (Row r : rows) {
                OffsetDateTime stopped = r.getOffsetDateTime("stopped_at");
                Object state = r.getValue("state");
                out.add(
                    new Replica(
                        r.getString("instance_id"),
                        r.getString("host"),
                        r.getInteger("traffic_port"),
                        r.getInteger("ops_port"),
                        r.getOffsetDateTime("started_at").toInstant(),
                        r.getOffsetDateTime("heartbeat_at").toInstant(),
                        stopped == null ? null : stopped.toInstant(),
                        r.getLong("applied_intervention"),
                        state instanceof JsonObject j ? j : new JsonObject(String.valueOf(state)),
                        r.getBoolean("live"),
                        Duration.ofMillis(
                            Math.max(
                                0, Math.round(((Number) r.getValue("age_ms")).doubleValue())))));
              }
              return out;
            });
  }
}
