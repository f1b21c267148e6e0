package io.ordergate.support;

import io.ordergate.app.Await;
import io.ordergate.intervention.InterventionStore;
import io.ordergate.source.SourceStore;
import io.vertx.sqlclient.Pool;

/** What PostgreSQL says about a gateway's LISTEN connections (interventions, registry changes). */
public final class Listening {
  private Listening() {}

  /**
   * Whether the pool's database has a session listening on each of the gateway's channels (a
   * subscriber's last statement is its LISTEN).
   */
  public static boolean onBothChannels(Pool pool) {
    return count(pool, InterventionStore.CHANNEL) > 0 && count(pool, SourceStore.CHANNEL) > 0;
  }

  /** Sessions of the pool's database whose last statement was a LISTEN naming {@code channel}. */
  public static long count(Pool pool, String channel) {
    return Await.result(
            pool.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND query LIKE 'LISTEN %' AND query LIKE '%"
                        + channel
                        + "%'")
                .execute(),
            30)
        .iterator()
        .next()
        .getLong(0);
  }

  /** Ends every LISTEN session of the pool's database, as a dropped connection would. */
  public static void terminate(Pool pool) {
    Await.result(
        pool.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND query LIKE 'LISTEN %'")
            .execute(),
        30);
  }
}
