package io.ordergate.quarantine;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

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
    return pool.preparedQuery(HOLD).execute(args).map(rows -> rows.iterator().next().getLong(0));
  }

  static JsonArray headersJson(MultiMap headers) {
    JsonArray out = new JsonArray();
    for (Map.Entry<String, String> h : headers) {
      out.add(new JsonArray().add(h.getKey()).add(h.getValue()));
    }
    return out;
  }

  static MultiMap headers(JsonArray json) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < json.size(); i++) {
      JsonArray pair = json.getJsonArray(i);
      out.add(pair.getString(0), pair.getString(1));
    }
    return out;
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
