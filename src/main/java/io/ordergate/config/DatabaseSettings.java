package io.ordergate.config;

import io.vertx.pgclient.PgConnectOptions;

/**
 * Where the registry, audit and later stores live.
 *
 * @param poolSize the request path's pool (held orders, idempotency keys, audit reads, clean-ups)
 * @param controlPoolSize the control plane's own pool (interventions and their acknowledgements,
 *     replica heartbeats, auto-trip rates, the source registry): a flood that exhausts the request
 *     path's pool must not delay the intervention that contains it
 */
public record DatabaseSettings(String url, int poolSize, int controlPoolSize) {

  public static final String URL = "ORDERGATE_DATABASE_URL";
  public static final String POOL_SIZE = "ORDERGATE_DATABASE_POOL_SIZE";
  public static final String CONTROL_POOL_SIZE = "ORDERGATE_DATABASE_CONTROL_POOL_SIZE";
  public static final int DEFAULT_CONTROL_POOL_SIZE = 2;

  public DatabaseSettings {
    if (!(url.startsWith("postgresql://") || url.startsWith("postgres://"))) {
      throw new ConfigException(URL, "must look like postgresql://user:pass@host:port/db");
    }
    try {
      PgConnectOptions.fromUri(url);
    } catch (RuntimeException e) {
      throw new ConfigException(URL, "is not a valid PostgreSQL URL: " + e.getMessage());
    }
    if (poolSize < 1) {
      throw new ConfigException(POOL_SIZE, "must be at least 1");
    }
    if (controlPoolSize < 1) {
      throw new ConfigException(CONTROL_POOL_SIZE, "must be at least 1");
    }
  }

  /** With the default control pool (commands and tests that use one pool only). */
  public DatabaseSettings(String url, int poolSize) {
    this(url, poolSize, DEFAULT_CONTROL_POOL_SIZE);
  }

  public static DatabaseSettings from(Env env) {
    return new DatabaseSettings(
        env.required(URL, "the PostgreSQL URL, postgresql://user:pass@host:port/db"),
        env.integer(POOL_SIZE, 4, 1, 100),
        env.integer(CONTROL_POOL_SIZE, DEFAULT_CONTROL_POOL_SIZE, 1, 20));
  }

  public PgConnectOptions connectOptions() {
    return PgConnectOptions.fromUri(url).setReconnectAttempts(0);
  }

  @Override
  public String toString() {
    PgConnectOptions o = PgConnectOptions.fromUri(url);
    return "DatabaseSettings[postgresql://"
        + o.getUser()
        + "@"
        + o.getHost()
        + ":"
        + o.getPort()
        + "/"
        + o.getDatabase()
        + ", poolSize="
        + poolSize
        + ", controlPoolSize="
        + controlPoolSize
        + "]";
  }
}
