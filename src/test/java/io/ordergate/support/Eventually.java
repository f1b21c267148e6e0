package io.ordergate.support;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waiting on conditions, never on timing: generous bounds for a shared, busy machine; a check that
 * throws (a database still starting, a port not open yet) counts as "not yet".
 */
public final class Eventually {
  public static final Duration GENEROUS = Duration.ofSeconds(120);

  private Eventually() {}

  /** Waits until {@code condition} holds; fails naming {@code what} after {@link #GENEROUS}. */
  public static void await(String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + GENEROUS.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.get()) {
          return;
        }
      } catch (RuntimeException e) {
        // not yet
      }
      GatewayHarness.sleep(200);
    }
    throw new AssertionError("not within " + GENEROUS + ": " + what);
  }

  /** Runs {@code action} until it succeeds; rethrows its last failure after {@link #GENEROUS}. */
  public static <T> T retry(Supplier<T> action) {
    long deadline = System.nanoTime() + GENEROUS.toNanos();
    while (true) {
      try {
        return action.get();
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        GatewayHarness.sleep(200);
      }
    }
  }
}
