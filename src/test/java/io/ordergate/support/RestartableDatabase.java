package io.ordergate.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An embedded PostgreSQL a test can really stop (postmaster gone, port closed) and start again on
 * the same data directory and port, as an outage and a restart of the database server would.
 */
public final class RestartableDatabase implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres postgres;

  private RestartableDatabase(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  /** A fresh server on a free port, with a data directory of its own under target/. */
  public static RestartableDatabase start() {
    try {
      Files.createDirectories(Path.of("target", "it-tmp"));
      RestartableDatabase db =
          new RestartableDatabase(
              Files.createTempDirectory(Path.of("target", "it-tmp"), "pg").toAbsolutePath(),
              Ports.free());
      db.startAgain();
      return db;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** Starts the server on the data directory and port it had; initdb only the first time. */
  public synchronized void startAgain() {
    if (postgres != null) {
      throw new IllegalStateException("PostgreSQL is already running");
    }
    try {
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setServerConfig("max_connections", "200")
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .setPGStartupWait(Duration.ofSeconds(120)) // a busy shared machine
              .setRegisterShutdownHook(true)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL on port " + port, e);
    }
  }

  /**
   * Stops the server ({@code pg_ctl stop -m fast}: sessions are ended, the postmaster exits) and
   * returns once nothing accepts connections on its port.
   */
  public synchronized void stop() {
    if (postgres == null) {
      return;
    }
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    postgres = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (accepting()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("PostgreSQL still accepts connections on port " + port);
      }
      GatewayHarness.sleep(100);
    }
  }

  /** Whether something accepts TCP connections on the server's port. */
  public boolean accepting() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Creates a database (the server must be running) and returns its postgresql:// URL. */
  public synchronized String createDatabase(String name) {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return "postgresql://postgres:postgres@127.0.0.1:" + port + "/" + name;
  }

  /** Stops the server if it runs and deletes its data directory. */
  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // only disk space under target/
    }
  }
}
