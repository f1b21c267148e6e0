package io.ordergate.quarantine;

import io.ordergate.forward.Headers;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** All SQL of the quarantine table. */
public final class QuarantineStore {
  private static final String HOLD = """
      INSERT INTO quarantine(source_id, request_id, method, path, headers, body, received_at, instance_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id""";

  private final Pool pool;
  private final String instanceId;

  public QuarantineStore(Pool pool, String instanceId) {
    this.pool = pool;
    this.instanceId = instanceId;
  }

  /** Stores the order; the future completes with its id only once PostgreSQL has committed it. */
  public Future<Long> hold(HeldOrder order) {
    Tuple args = Tuple.tuple()
        .addString(order.sourceId())
        .addString(order.requestId())
        .addString(order.method())
        .addString(order.pathAndQuery())
        .addValue(headersJson(order.headers()))
        .addBuffer(order.body())
        .addOffsetDateTime(OffsetDateTime.ofInstant(order.receivedAt(), ZoneOffset.UTC))
        .addString(instanceId);
    // A 202 promises the order survives a database crash too, whatever the server's default.
    return pool.withTransaction(conn -> conn.query("SET LOCAL synchronous_commit = on").execute()
        .compose(v -> conn.preparedQuery(HOLD).execute(args))
        .map(rows -> rows.iterator().next().getLong(0)));
  }

  static JsonArray headersJson(MultiMap headers) {
    return Headers.toJson(headers);
  }

  static MultiMap headers(JsonArray json) {
    return Headers.fromJson(json);
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
