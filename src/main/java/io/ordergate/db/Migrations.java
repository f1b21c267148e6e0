package io.ordergate.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned scripts listed in {@code db/index.txt}, each once, in order. An advisory
 * lock keeps replicas that start together from racing each other.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  /** Held while the schema changes: migrations, and audit partitions created or dropped. */
  static final long LOCK_KEY = 0x0_6f72_6465_7267L; // "ordergate" prefix, any constant works

  private Migrations() {}

  /**
   * The number of scripts applied. When the schema is current (every start of a replica or a
   * command but the first after an upgrade) that is one query, without the lock; else, under the
   * lock, whatever is missing, creating the bookkeeping table first.
   */
  public static Future<Integer> migrate(Pool pool) {
    List<String> scripts =
        readResource("db/index.txt").lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    return pool.withConnection(
        conn ->
            conn.query("SELECT version FROM schema_migrations")
                .execute()
                .map(rows -> applied(rows).containsAll(scripts))
                // No table yet (a first start), or anything else: the locked path finds out.
                .otherwise(false)
                .compose(current -> current ? Future.succeededFuture(0) : migrate(conn, scripts)));
  }

  private static Set<String> applied(Iterable<io.vertx.sqlclient.Row> rows) {
    Set<String> applied = new HashSet<>();
    rows.forEach(r -> applied.add(r.getString(0)));
    return applied;
  }

  private static Future<Integer> migrate(SqlConnection conn, List<String> scripts) {
    return conn.query("SELECT pg_advisory_lock(" + LOCK_KEY + ")")
        .execute()
        .compose(v -> conn.query("SELECT to_regclass('schema_migrations') IS NOT NULL").execute())
        .compose(
            rows ->
                rows.iterator().next().getBoolean(0)
                    ? Future.succeededFuture()
                    : conn.query(
                            "CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
                        .execute())
        .compose(v -> conn.query("SELECT version FROM schema_migrations").execute())
        .compose(
            rows -> {
              Set<String> applied = applied(rows);
              Future<Integer> chain = Future.succeededFuture(0);
              for (String script : scripts) {
                if (!applied.contains(script)) {
                  chain = chain.compose(n -> apply(conn, script).map(n + 1));
                }
              }
              return chain;
            })
        .eventually(() -> conn.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")").execute());
  }

  private static Future<Void> apply(SqlConnection conn, String script) {
    String sql = readResource("db/" + script);
    return conn.begin()
        .compose(
            tx ->
                conn.query(sql)
                    .execute()
                    .compose(
                        v ->
                            conn.preparedQuery("INSERT INTO schema_migrations(version) VALUES ($1)")
                                .execute(Tuple.of(script)))
                    .compose(v -> tx.commit())
                    .onSuccess(v -> LOG.info("Applied schema migration {}", script))
                    .onFailure(e -> tx.rollback())
                    .mapEmpty());
  }

  private static String readResource(String name) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing migration resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
