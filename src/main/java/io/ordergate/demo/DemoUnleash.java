package io.ordergate.demo;

import io.ordergate.app.Gateway;
import io.ordergate.flags.FlagOrigin;
import java.net.URI;
import java.time.Duration;

/**
 * The demo's dealings with the running Unleash server once the gateways are up: waiting for their
 * first flags from it and its Admin API client (for the webhook addon). Kept apart from {@link
 * Demo} so the start-up sequence there stays short.
 */
final class DemoUnleash {
  private static final Duration FLAGS_WAIT = Duration.ofSeconds(60);

  private DemoUnleash() {}

  /**
   * The gateway is ready on its bootstrap flags before its first poll answers; the demo announces
   * itself only once the flags come from Unleash, so that a kill tried at once goes through the
   * path the demo shows.
   */
  static void awaitFlagsFromUnleash(Gateway gateway) {
    long deadline = System.nanoTime() + FLAGS_WAIT.toNanos();
    if (gateway.flagStatus().origin() != FlagOrigin.SERVER) {
      Demo.step("Waiting for the gateway's first flags from Unleash");
    }
    while (gateway.flagStatus().origin() != FlagOrigin.SERVER) {
      if (System.nanoTime() > deadline) {
        Demo.warn(
            "the gateway still enforces its bootstrap flags: Unleash did not answer its polls within "
                + FLAGS_WAIT.toSeconds()
                + " s ("
                + gateway.flagStatus().lastError()
                + "); see unleash.log in the data directory");
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Replica 0's webhook; it tells the other replicas (a Kubernetes Service would pick any). */
  static String webhookUrl() {
    return "http://127.0.0.1:" + Demo.OPS_PORT + "/ops/unleash-webhook";
  }

  static io.ordergate.flags.UnleashAdmin adminClient() {
    return new io.ordergate.flags.UnleashAdmin(
        new io.ordergate.config.AdminSettings(
            URI.create("http://127.0.0.1:" + Demo.UNLEASH_PORT),
            UnleashServer.ADMIN_TOKEN,
            "default",
            Demo.ENVIRONMENT,
            "order-source.",
            "order-intake"));
  }
}
