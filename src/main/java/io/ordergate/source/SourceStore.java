package io.ordergate.source;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** All SQL of the source registry. Every change notifies running gateways on {@link #CHANNEL}. */
public final class SourceStore {
  public static final String CHANNEL = "ordergate_sources";

  private static final String SELECT_SOURCES =
      "SELECT id, environment, description, created_at, rotated_at, share FROM sources ORDER BY id";
  private static final String SELECT_KEYS = "SELECT key_hash, source_id FROM source_keys";
  private static final String INSERT_SOURCE =
      "INSERT INTO sources(id, environment, description, share) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING";
  private static final String SET_SHARE = "UPDATE sources SET share = $2 WHERE id = $1";
  private static final String INSERT_KEY =
      "INSERT INTO source_keys(key_hash, source_id) VALUES ($1, $2)";
  private static final String DELETE_KEYS = "DELETE FROM source_keys WHERE source_id = $1";
  private static final String MARK_ROTATED = "UPDATE sources SET rotated_at = now() WHERE id = $1";
  private static final String DELETE_SOURCE = "DELETE FROM sources WHERE id = $1";
  private static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', $1)";

  private final Pool pool;

  public SourceStore(Pool pool) {
    this.pool = pool;
  }

  /** A snapshot of the registry: sources by id and key hashes mapped to source ids. */
  public record Snapshot(Map<String, Source> sources, Map<String, String> sourceIdByKeyHash) {}

  public Future<Snapshot> load() {
    return pool.withConnection(
        conn ->
            conn.query(SELECT_SOURCES)
                .execute()
                .compose(
                    sourceRows -> {
                      Map<String, Source> sources = new HashMap<>();
                      for (Row r : sourceRows) {
                        Source s = toSource(r);
                        sources.put(s.id(), s);
                      }
                      return conn.query(SELECT_KEYS)
                          .execute()
                          .map(
                              keyRows -> {
                                Map<String, String> keys = new HashMap<>();
                                for (Row r : keyRows) {
                                  keys.put(r.getString(0), r.getString(1));
                                }
                                return new Snapshot(Map.copyOf(sources), Map.copyOf(keys));
                              });
                    }));
  }

  public Future<List<Source>> list() {
    return pool.query(SELECT_SOURCES)
        .execute()
        .map(
            rows -> {
              List<Source> out = new ArrayList<>();
              rows.forEach(r -> out.add(toSource(r)));
              return out;
            });
  }

  /**
   * Adds a source with the given key; fails with {@link SourceExistsException} if the id is taken.
   */
  public Future<Void> add(String id, String environment, String description, String apiKey) {
    return add(id, environment, description, apiKey, Source.DEFAULT_SHARE);
  }

  /** As {@link #add(String, String, String, String)}, with the source's share of the capacity. */
  public Future<Void> add(
      String id, String environment, String description, String apiKey, int share) {
    // validates before touching the database
    new Source(id, environment, description, null, null, share);
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(INSERT_SOURCE)
                .execute(Tuple.of(id, environment, description, share))
                .compose(
                    result ->
                        result.rowCount() == 0
                            ? Future.failedFuture(new SourceExistsException(id))
                            : tx.preparedQuery(INSERT_KEY)
                                .execute(Tuple.of(ApiKeys.hash(apiKey), id)))
                .compose(v -> notifyChange(tx, id)));
  }

  /** Replaces (or, with {@code keepOld}, adds to) the source's keys. */
  public Future<Void> rotateKey(String id, String newKey, boolean keepOld) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(MARK_ROTATED)
                .execute(Tuple.of(id))
                .compose(
                    result ->
                        result.rowCount() == 0
                            ? Future.failedFuture(new UnknownSourceException(id))
                            : keepOld
                                ? Future.succeededFuture()
                                : tx.preparedQuery(DELETE_KEYS).execute(Tuple.of(id)))
                .compose(
                    v -> tx.preparedQuery(INSERT_KEY).execute(Tuple.of(ApiKeys.hash(newKey), id)))
                .compose(v -> notifyChange(tx, id)));
  }

  /** Sets the source's share of the order system's capacity; running gateways apply it at once. */
  public Future<Void> setShare(String id, int share) {
    Source.checkShare(share);
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(SET_SHARE)
                .execute(Tuple.of(id, share))
                .compose(
                    result ->
                        result.rowCount() == 0
                            ? Future.failedFuture(new UnknownSourceException(id))
                            : notifyChange(tx, id)));
  }

  public Future<Void> remove(String id) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(DELETE_SOURCE)
                .execute(Tuple.of(id))
                .compose(
                    result ->
                        result.rowCount() == 0
                            ? Future.failedFuture(new UnknownSourceException(id))
                            : notifyChange(tx, id)));
  }

  private static Future<Void> notifyChange(SqlClient tx, String id) {
    return tx.preparedQuery(NOTIFY).execute(Tuple.of(id)).mapEmpty();
  }

  private static Source toSource(Row r) {
    return new Source(
        r.getString(0),
        r.getString(1),
        r.getString(2),
        r.getOffsetDateTime(3),
        r.getOffsetDateTime(4),
        r.getInteger(5));
  }

  /** The id is already registered. */
  public static final class SourceExistsException extends RuntimeException {
    public SourceExistsException(String id) {
      super("source '" + id + "' already exists", null, false, false);
    }
  }

  /** No source with that id. */
  public static final class UnknownSourceException extends RuntimeException {
    private final String id;

    public UnknownSourceException(String id) {
      super("no source '" + id + "'", null, false, false);
      this.id = id;
    }

    public String id() {
      return id;
    }
  }
}
