package io.ordergate.flags;

import io.getunleash.util.UnleashScheduledExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's scheduler counts in whole seconds; this one polls at a millisecond interval and can
 * poll on demand until a change arrived ({@link #refreshUntil}), e.g. when a webhook says a flag
 * changed.
 *
 * <p>Everything, polls and the SDK's event dispatch alike, runs on one thread. The SDK hands events
 * to {@link #scheduleOnce}, so a "toggles fetched" event always runs after the fetch that stored
 * the new toggles has finished.
 */
final class PollScheduler implements UnleashScheduledExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(PollScheduler.class);

  // Each poll is a conditional GET (304 while nothing changed), so a short interval costs little;
  // it takes up to 150 ms off the tail of a UI change reaching every replica (measured: with a
  // 200 ms interval, p99 1.3 s from the Admin API call to every replica refusing).
  static final long REFRESH_EVERY_MILLIS = 50;
  // 5 s in all: past two ticks of Unleash's one-second jobs, and more.
  static final int REFRESH_POLLS = 100;

  private final ScheduledExecutorService executor;
  private final Duration interval;
  private final List<Runnable> pollers = new CopyOnWriteArrayList<>();

  public PollScheduler(Duration interval) {
    this.interval = interval;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "unleash-poll");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The SDK schedules its flag fetch with this period (UnleashFlags configures it so); any other
   * job (the metrics sender) keeps its own period in seconds.
   */
  static final long FETCH_PERIOD_SECONDS = 1;

  @Override
  public void setInterval(Runnable command, long initialDelaySeconds, long periodSeconds)
      throws RejectedExecutionException {
    Runnable safe = guarded(command);
    if (periodSeconds != FETCH_PERIOD_SECONDS) {
      executor.scheduleWithFixedDelay(
          safe, Math.max(1, initialDelaySeconds), periodSeconds, TimeUnit.SECONDS);
      return;
    }
    pollers.add(safe);
    executor.scheduleWithFixedDelay(
        safe,
        Math.min(TimeUnit.SECONDS.toMillis(initialDelaySeconds), interval.toMillis()),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Future<Void> scheduleOnce(Runnable command) {
    try {
      return (Future<Void>) executor.submit(guarded(command));
    } catch (RejectedExecutionException e) {
      return java.util.concurrent.CompletableFuture.completedFuture(null); // shutting down
    }
  }

  /**
   * Polls now and again every {@value #REFRESH_EVERY_MILLIS} ms until {@code arrived} says the
   * change was fetched, at most {@value #REFRESH_POLLS} times, beside the regular schedule.
   * Open-source Unleash fires its webhook and publishes the change to its client API through two
   * separate one-second jobs, so the webhook can arrive a second or more (on a loaded server)
   * before the change can be fetched; a fixed number of polls right after the webhook misses it.
   */
  public void refreshUntil(BooleanSupplier arrived) {
    refreshStep(arrived, 0, 0);
  }

  private void refreshStep(BooleanSupplier arrived, int attempt, long delayMillis) {
    Runnable step =
        guarded(
            () -> {
              if (arrived.getAsBoolean()) {
                return; // a regular poll, or another refresh, fetched it
              }
              pollers.forEach(Runnable::run);
              if (!arrived.getAsBoolean() && attempt + 1 < REFRESH_POLLS) {
                refreshStep(arrived, attempt + 1, REFRESH_EVERY_MILLIS);
              }
            });
    try {
      executor.schedule(step, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }

  @Override
  public void shutdown() {
    executor.shutdown();
  }

  @Override
  public void shutdownNow() {
    executor.shutdownNow();
  }

  private static Runnable guarded(Runnable command) {
    return () -> {
      try {
        command.run();
      } catch (RuntimeException e) {
        // A failing poll must not cancel the schedule.
        LOG.warn("Flag poll failed: {}", e.toString());
      }
    };
  }
}
