package io.ordergate.support;

import io.ordergate.demo.EmbeddedDatabase;
import java.util.concurrent.atomic.AtomicInteger;

/** One embedded PostgreSQL per test JVM; every test class gets a database of its own. */
public final class TestDatabase {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedDatabase server;

  private TestDatabase() {}

  public static synchronized EmbeddedDatabase server() {
    if (server == null) {
      server = EmbeddedDatabase.start(null, true);
    }
    return server;
  }

  /** A new, empty database; returns its postgresql:// URL. */
  public static String fresh(String prefix) {
    return server()
        .createDatabase(
            prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + COUNTER.incrementAndGet());
  }
}
