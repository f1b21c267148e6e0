package io.ordergate.support;

import io.ordergate.config.AdminSettings;
import io.ordergate.demo.UnleashServer;
import io.ordergate.flags.UnleashAdmin;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real Unleash server from {@code flags/}, seeded with the project's flag definitions. One
 * shared instance per test JVM; tests that stop their server start their own with {@link
 * #startOwn()}.
 */
public final class TestUnleash {
  private static UnleashServer shared;

  private TestUnleash() {}

  public static synchronized UnleashServer shared() {
    if (shared == null || !shared.alive()) {
      shared = startOwn();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /** A private server on its own port and database; the caller closes it. */
  public static UnleashServer startOwn() {
    return UnleashServer.start(
        Path.of("flags"),
        Ports.free(),
        TestDatabase.fresh("unleash"),
        Path.of("target", "unleash-" + System.nanoTime() + ".log"),
        Duration.ofSeconds(120));
  }

  public static UnleashAdmin admin(UnleashServer server) {
    return new UnleashAdmin(
        new AdminSettings(
            URI.create(server.baseUrl()),
            UnleashServer.ADMIN_TOKEN,
            "default",
            "production",
            "order-source.",
            "order-intake"));
  }
}
