package io.ordergate.forward;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordergate.problem.Failure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * {@link FairShare} on Vert.x: a request within its source's guarantee that finds every slot taken
 * by borrowers waits (on its own context, bounded by {@code maxWaitMillis}) for the next one to
 * free up, instead of being refused. Also the per-source gauges.
 */
final class FairShareGate {
  private final FairShare shares;
  private final long maxWaitMillis;
  private final MeterRegistry registry;
  private final Set<String> gauged = ConcurrentHashMap.newKeySet();

  FairShareGate(
      int capacity, ToIntFunction<String> shares, long maxWaitMillis, MeterRegistry registry) {
    this.shares = new FairShare(capacity, shares);
    this.maxWaitMillis = maxWaitMillis;
    this.registry = registry;
  }

  /** A queued request: completed with the nanoseconds it waited, or failed at its deadline. */
  private static final class Waiting extends FairShare.Waiter {
    final Promise<Long> promise = Promise.promise();
    final Context context;
    final long since = System.nanoTime();
    volatile long timer = -1;

    Waiting(String source, Context context) {
      super(source);
      this.context = context;
    }
  }

  /**
   * A slot for one forward of {@code source}; completes with the nanoseconds spent waiting for it,
   * or fails with {@link Failure#SOURCE_OVER_SHARE} or {@link Failure#BULKHEAD_FULL}.
   */
  Future<Long> acquire(String source) {
    gauges(source);
    Context context = Vertx.currentContext();
    Waiting waiter = new Waiting(source, context);
    FairShare.Answer answer = shares.offer(waiter);
    switch (answer) {
      case ADMIT -> {
        return Future.succeededFuture(0L);
      }
      case OVER_SHARE -> {
        return Future.failedFuture(overShare(source));
      }
      case SATURATED -> {
        return Future.failedFuture(saturated());
      }
      default -> {
        if (context == null) { // no event loop to wait on (never on the request path)
          shares.cancel(waiter);
          return Future.failedFuture(saturated());
        }
        waiter.timer =
            context
                .owner()
                .setTimer(
                    maxWaitMillis,
                    id -> {
                      if (shares.cancel(waiter)) {
                        waiter.promise.tryFail(waitedTooLong());
                      }
                    });
        return waiter.promise.future();
      }
    }
  }

  /** Gives back a slot; waiters that get one by it resume on their own contexts. */
  void release(String source) {
    List<FairShare.Waiter> granted = shares.release(source);
    for (FairShare.Waiter w : granted) {
      Waiting waiting = (Waiting) w;
      if (waiting.timer >= 0) {
        waiting.context.owner().cancelTimer(waiting.timer);
      }
      long waited = System.nanoTime() - waiting.since;
      waiting.context.runOnContext(v -> waiting.promise.complete(waited));
    }
  }

  int capacity() {
    return shares.capacity();
  }

  private ForwardFailure overShare(String source) {
    return new ForwardFailure(
        Failure.SOURCE_OVER_SHARE,
        "source '"
            + source
            + "' already has its fair share of the order system's capacity ("
            + shares.inFlight(source)
            + " of "
            + shares.capacity()
            + " requests in flight) while other sources need the rest",
        ForwardFailure.Delivery.NOT_SENT);
  }

  private ForwardFailure saturated() {
    return new ForwardFailure(
        Failure.BULKHEAD_FULL,
        "more than " + shares.capacity() + " requests are already waiting on the order system",
        ForwardFailure.Delivery.NOT_SENT);
  }

  private ForwardFailure waitedTooLong() {
    return new ForwardFailure(
        Failure.BULKHEAD_FULL,
        "all "
            + shares.capacity()
            + " slots for requests to the order system stayed in use for "
            + maxWaitMillis
            + " ms",
        ForwardFailure.Delivery.NOT_SENT);
  }

  private void gauges(String source) {
    if (gauged.contains(source) || !gauged.add(source)) {
      return;
    }
    Gauge.builder("ordergate.forwards.in.flight", shares, s -> s.inFlight(source))
        .description("Requests of the source being forwarded to the order system now")
        .tag("source", source)
        .register(registry);
    Gauge.builder("ordergate.forwards.waiting", shares, s -> s.waiting(source))
        .description("Requests of the source waiting for their fair share of the order system")
        .tag("source", source)
        .register(registry);
  }
}
