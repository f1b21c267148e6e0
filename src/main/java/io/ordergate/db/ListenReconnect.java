package io.ordergate.db;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The reconnect policy of a {@code LISTEN} connection ({@code PgSubscriber.reconnectPolicy}): retry
 * every 100 ms, backing off to 5 s, until stopped; the first attempt after a loss logs it and sets
 * {@code reconnecting}, so the subscribe handler knows to reload what notifications it missed.
 */
public final class ListenReconnect {
  private ListenReconnect() {}

  public static Function<Integer, Long> policy(
      BooleanSupplier stopped, AtomicBoolean reconnecting, Logger log, String lostMessage) {
    return attempt -> {
      if (stopped.getAsBoolean()) {
        return -1L;
      }
      if (attempt == 0) {
        reconnecting.set(true);
        log.warn(lostMessage);
      }
      return Math.min(5_000L, 100L * (attempt + 1));
    };
  }
}
