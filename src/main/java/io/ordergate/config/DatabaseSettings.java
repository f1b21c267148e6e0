package io.ordergate.config;

import io.vertx.pgclient.PgConnectOptions;

/** Where the registry, audit and later stores live. */
public record DatabaseSettings(String url, int poolSize) {

  public static final String URL = "ORDERGATE_DATABASE_URL";
  public static final String POOL_SIZE = "ORDERGATE_DATABASE_POOL_SIZE";

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
  }

  public static DatabaseSettings from(Env env) {
    return new DatabaseSettings(
        env.required(URL, "the PostgreSQL URL, postgresql://user:pass@host:port/db"),
        env.integer(POOL_SIZE, 4, 1, 100));
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
        + "]";
  }
}
