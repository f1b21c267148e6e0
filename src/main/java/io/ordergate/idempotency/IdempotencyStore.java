package io.ordergate.idempotency;

import io.ordergate.config.IdempotencySettings;
import io.ordergate.db.StoredHeaders;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;

/**
 * All SQL of the idempotency keys. Claiming is one statement: it inserts the key (or takes over an
 * expired one) or returns the row that holds it, so two replicas racing on one key cannot both win.
 */
public final class IdempotencyStore implements KeyStore {
  private static final String CLAIM =
      """
      WITH claimed AS (
        INSERT INTO idempotency_keys(source_id, key, request_hash, request_id, state, expires_at)
        VALUES ($1, $2, $3, $4, 'in_flight', now() + $5 * interval '1 millisecond')
        ON CONFLICT (source_id, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, request_id = EXCLUDED.request_id, state = 'in_flight',
              status = NULL, headers = NULL, body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
          WHERE idempotency_keys.expires_at < now()
        RETURNING 'granted'::text AS outcome, NULL::bytea AS request_hash, NULL::text AS state,
                  NULL::int AS status, NULL::jsonb AS headers, NULL::bytea AS body)
      SELECT * FROM claimed
      UNION ALL
      SELECT 'held', k.request_hash, k.state, k.status, k.headers, k.body FROM idempotency_keys k
       WHERE k.source_id = $1 AND k.key = $2 AND NOT EXISTS (SELECT 1 FROM claimed)""";
  private static final String COMPLETE =
      """
      UPDATE idempotency_keys SET state = 'done', status = $4, headers = $5, body = $6,
             expires_at = now() + $7 * interval '1 millisecond'
       WHERE source_id = $1 AND key = $2 AND request_id = $3 AND state = 'in_flight'""";
  private static final String RELEASE =
      """
      DELETE FROM idempotency_keys WHERE source_id = $1 AND key = $2 AND request_id = $3 AND state = 'in_flight'""";
  private static final String PURGE =
      """
      DELETE FROM idempotency_keys WHERE ctid IN (
        SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT $1)""";

  private final Pool pool;
  private final IdempotencySettings settings;

  public IdempotencyStore(Pool pool, IdempotencySettings settings) {
    this.pool = pool;
    this.settings = settings;
  }

  @Override
  public Future<Claim> claim(String sourceId, String key, byte[] requestHash, String requestId) {
    Tuple args =
        Tuple.of(
            sourceId,
            key,
            Buffer.buffer(requestHash),
            requestId,
            settings.inFlightLease().toMillis());
    return pool.preparedQuery(CLAIM)
        .execute(args)
        .map(
            rows -> {
              RowIterator<Row> it = rows.iterator();
              if (!it.hasNext()) {
                // The holder was purged between our insert attempt and our read: rare, and a retry
                // settles it.
                return new Claim.InFlight();
              }
              Row row = it.next();
              if ("granted".equals(row.getString("outcome"))) {
                return new Claim.Granted();
              }
              if (!Arrays.equals(row.getBuffer("request_hash").getBytes(), requestHash)) {
                return new Claim.Mismatch();
              }
              if (!"done".equals(row.getString("state"))) {
                return new Claim.InFlight();
              }
              Buffer body = row.getBuffer("body");
              return new Claim.Replay(
                  new StoredResponse(
                      row.getInteger("status"),
                      StoredHeaders.fromJson((JsonArray) row.getValue("headers")),
                      body == null ? Buffer.buffer() : body));
            });
  }

  @Override
  public Future<Boolean> complete(
      String sourceId, String key, String requestId, StoredResponse response) {
    Tuple args =
        Tuple.of(
            sourceId,
            key,
            requestId,
            response.status(),
            StoredHeaders.toJson(response.headers()),
            response.body(),
            settings.ttl().toMillis());
    return pool.preparedQuery(COMPLETE).execute(args).map(rows -> rows.rowCount() == 1);
  }

  /**
   * Gives the key back so the client's retry is processed anew (the request never reached the order
   * system's answer).
   */
  @Override
  public Future<Void> release(String sourceId, String key, String requestId) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(sourceId, key, requestId)).mapEmpty();
  }

  /** Deletes up to {@code limit} expired keys; returns how many. */
  public Future<Integer> purge(int limit) {
    return pool.preparedQuery(PURGE).execute(Tuple.of(limit)).map(rows -> rows.rowCount());
  }
}
