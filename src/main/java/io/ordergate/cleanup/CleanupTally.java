package io.ordergate.cleanup;

import io.ordergate.cleanup.CleanupExecution.Progress;
import io.ordergate.cleanup.CleanupStore.Item;
import io.ordergate.metrics.GateMetrics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping of one {@link CleanupExecution}, kept apart from its sending loop: what each
 * stored answer counts as, the progress and rate read from any thread, and when the order system
 * has stopped answering. {@link #count} runs on the execution's context; the counters are atomic
 * because the ops API and the command's progress line read them from elsewhere.
 */
final class CleanupTally {
  // The execution's logger: operators know these lines as the run's.
  private static final Logger LOG = LoggerFactory.getLogger(CleanupExecution.class);

  /**
   * This many cancels in a row without any answer: the order system is down; stop instead of
   * failing every order.
   */
  static final int MAX_NO_ANSWER_IN_A_ROW = 20;

  private static final int LOGGED_FAILURES = 10;

  private final long runId;
  private final String source;
  private final long total;
  private final GateMetrics metrics;
  private final long startNanos = System.nanoTime();
  private final AtomicLong cancelled = new AtomicLong();
  private final AtomicLong gone = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  // Confined to the execution's context.
  private int noAnswerInARow;
  private int loggedFailures;

  CleanupTally(long runId, String source, long total, GateMetrics metrics) {
    this.runId = runId;
    this.source = source;
    this.total = total;
    this.metrics = metrics;
  }

  /**
   * Counts a stored answer; returns why the execution should stop (the order system stopped
   * answering), or null to go on.
   */
  String count(Item item, CancelOutcome outcome) {
    CancelOutcome.Result result = outcome.result();
    metrics.cleanup(source, result.state());
    switch (result) {
      case CANCELLED -> cancelled.incrementAndGet();
      case GONE -> gone.incrementAndGet();
      case FAILED -> {
        failed.incrementAndGet();
        if (loggedFailures++ < LOGGED_FAILURES) {
          LOG.warn(
              "Clean-up run {}: cancel of order '{}' of source '{}' failed: {}{}",
              runId,
              item.orderId(),
              source,
              outcome.reason(),
              loggedFailures == LOGGED_FAILURES ? " (further failures are only counted)" : "");
        }
      }
    }
    noAnswerInARow = outcome.status() == null ? noAnswerInARow + 1 : 0;
    if (noAnswerInARow >= MAX_NO_ANSWER_IN_A_ROW) {
      return MAX_NO_ANSWER_IN_A_ROW
          + " cancels in a row got no answer from the order system (last: "
          + outcome.error()
          + ")";
    }
    return null;
  }

  Progress progress(boolean running) {
    long done = cancelled.get() + gone.get() + failed.get();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double perSecond = seconds > 0.5 ? done / seconds : 0;
    Duration eta =
        perSecond > 0 ? Duration.ofSeconds((long) Math.ceil((total - done) / perSecond)) : null;
    return new Progress(
        runId, total, done, cancelled.get(), gone.get(), failed.get(), perSecond, eta, running);
  }

  /** Orders not answered yet, whether or not the execution still runs. */
  long unanswered() {
    return Math.max(0, total - cancelled.get() - gone.get() - failed.get());
  }
}
