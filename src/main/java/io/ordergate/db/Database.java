package io.ordergate.db;

import io.ordergate.config.DatabaseSettings;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * Creates the gateway's connection pools: the request path's ({@link #pool}) and the control
 * plane's ({@link #controlPool}), so that a flood waiting for one never delays the other.
 */
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
    return build(vertx, settings, settings.poolSize(), "order-gate", connectionTimeoutSeconds);
  }

  /**
   * The control plane's small pool (ORDERGATE_DATABASE_CONTROL_POOL_SIZE): interventions, replica
   * heartbeats, auto-trip rates and the source registry. Held orders and idempotency keys never
   * wait in it.
   */
  public static Pool controlPool(Vertx vertx, DatabaseSettings settings) {
    // Its statements come back several times a second per replica (auto-trip, heartbeats), a few
    // kinds only: kept prepared per connection, PostgreSQL parses them once instead of at every
    // execution (docs/performance.md, "PostgreSQL's work while the gateway is idle").
    PgConnectOptions options = settings.connectOptions().setCachePreparedStatements(true);
    return build(vertx, options, settings.controlPoolSize(), "order-gate-control", 5);
  }

  private static Pool build(
      Vertx vertx, DatabaseSettings settings, int size, String name, int connectionTimeoutSeconds) {
    return build(vertx, settings.connectOptions(), size, name, connectionTimeoutSeconds);
  }

  private static Pool build(
      Vertx vertx, PgConnectOptions options, int size, String name, int connectionTimeoutSeconds) {
    return PgBuilder.pool()
        .with(
            new PoolOptions()
                .setMaxSize(size)
                .setName(name)
                .setConnectionTimeout(connectionTimeoutSeconds)
                .setConnectionTimeoutUnit(TimeUnit.SECONDS))
        // A dead database must fail fast: the audit buffer waits, requests never do.
        .with(new NetClientOptions().setConnectTimeout(3_000))
        .connectingTo(options)
        .using(vertx)
        .build();
  }
}
