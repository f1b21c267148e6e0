package io.ordergate.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A throw-away PostgreSQL for the demo and the tests, started from the zonky binaries. */
public final class EmbeddedDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts a fresh server.
   *
   * @param dataDir null means a temporary directory
   * @param stopOnExit false when the caller stops it in its own shutdown hook, in order
   */
  public static EmbeddedDatabase start(Path dataDir, boolean stopOnExit) {
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setServerConfig("max_connections", "200")
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .setRegisterShutdownHook(stopOnExit);
      if (dataDir != null) {
        builder.setDataDirectory(dataDir).setCleanDataDirectory(true);
      }
      return new EmbeddedDatabase(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  /** Creates a database (if it does not exist yet) and returns its URL. */
  public String createDatabase(String name) {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
      if (!rs.next()) {
        s.execute("CREATE DATABASE " + name);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return url(name);
  }

  public String url(String database) {
    return "postgresql://postgres:postgres@127.0.0.1:" + port() + "/" + database;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
