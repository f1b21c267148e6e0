package io.ordergate.traffic;

import io.ordergate.quarantine.HeldOrder;
import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Bounds the holds waiting for PostgreSQL: a held flood must not queue without limit for the
 * database's connections. A hold beyond the bound fails at once, which {@link Dispatch} answers 503
 * {@code quarantine-unavailable}: not stored, so not forwarded either.
 */
final class HoldLimit implements Function<HeldOrder, Future<Long>> {
  private final Function<HeldOrder, Future<Long>> store;
  private final int max;
  private final AtomicInteger pending = new AtomicInteger();

  HoldLimit(Function<HeldOrder, Future<Long>> store, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max pending holds must be positive, was " + max);
    }
    this.store = store;
    this.max = max;
  }

  @Override
  public Future<Long> apply(HeldOrder order) {
    if (pending.incrementAndGet() > max) {
      pending.decrementAndGet();
      return Future.failedFuture(
          max + " orders are already waiting to be stored in quarantine on this replica");
    }
    Future<Long> stored;
    try {
      stored = store.apply(order);
    } catch (RuntimeException e) {
      pending.decrementAndGet();
      return Future.failedFuture(e);
    }
    return stored.onComplete(ar -> pending.decrementAndGet());
  }

  int pending() {
    return pending.get();
  }
}
