package io.ordergate.db;

import io.ordergate.config.DatabaseSettings;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/** Creates the one connection pool the gateway shares between its stores. */
public final class Database {
  private Database() {}

  public static Pool pool(Vertx vertx, DatabaseSettings settings) {
    return pool(vertx, settings, 5);
  }

  /**
   * With a longer wait for a pooled connection, for commands: on a busy machine the first
   * connection of a fresh JVM can take longer than a request may wait.
   */
  public static Pool pool(Vertx vertx, DatabaseSettings settings, int connectionTimeoutSeconds) {
    return PgBuilder.pool()
        .with(
            new PoolOptions()
                .setMaxSize(settings.poolSize())
                .setName("order-gate")
                .setConnectionTimeout(connectionTimeoutSeconds)
                .setConnectionTimeoutUnit(TimeUnit.SECONDS))
        // A dead database must fail fast: the audit buffer waits, requests never do.
        .with(new NetClientOptions().setConnectTimeout(3_000))
        .connectingTo(settings.connectOptions())
        .using(vertx)
        .build();
  }
}
