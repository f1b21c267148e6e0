package io.ordergate.cleanup;

import io.ordergate.cleanup.CleanupStore.Item;
import io.ordergate.metrics.GateMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution of a clean-up run: sends the run's outstanding cancels at a bounded rate, oldest
 * order first, and stores each answer as it comes, so that an execution that dies at any point
 * leaves only the cancels in flight unrecorded (the next execution sends those again; a repeated
 * cancel is answered 404/410 and counted as already gone). It holds the source's clean-up lock
 * until it ends. Everything but {@link #stop} and {@link #progress} runs on one Vert.x context.
 * What the answers add up to is kept by {@link CleanupTally}; this class is the loop: page the
 * run's items in, pace the sends, store each answer, poll for a stop, finish.
 */
public final class CleanupExecution {
  private static final Logger LOG = LoggerFactory.getLogger(CleanupExecution.class);
  private static final int PAGE = 500;

  /** How often the run's row is asked whether ops want it stopped (from any replica). */
  private static final long STOP_POLL_MILLIS = 1_000;

  public static final String STOPPED_BY_OPS = "stopped through the ops API";

  /**
   * A snapshot, readable from any thread. {@code total} and {@code done} count this execution's
   * work.
   */
  public record Progress(
      long runId,
      long total,
      long done,
      long cancelled,
      long gone,
      long failed,
      double perSecond,
      Duration eta,
      boolean running) {}

  private final Context context;
  private final long runId;
  private final CleanupWindow window;
  private final CleanupStore store;
  private final OrderCanceller canceller;
  private final SqlConnection lock;
  private final long intervalNanos;
  private final int maxInFlight;
  private final CleanupTally tally;
  private final Promise<CleanupReport> completion = Promise.promise();
  private volatile String stopReason;
  private volatile boolean running = true;
  private volatile boolean releasingLock;

  // Confined to the context.
  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private long cursor;
  private boolean loading;
  private boolean exhausted;
  private boolean finishing;
  private boolean timerArmed;
  private int inFlight;
  private long nextSendNanos = System.nanoTime();
  private long stopPoll = -1;

  CleanupExecution(
      Context context,
      long runId,
      CleanupWindow window,
      long total,
      int ratePerSecond,
      CleanupStore store,
      OrderCanceller canceller,
      SqlConnection lock,
      GateMetrics metrics) {
    this.context = context;
    this.runId = runId;
    this.window = window;
    this.store = store;
    this.canceller = canceller;
    this.lock = lock;
    this.tally = new CleanupTally(runId, window.source(), total, metrics);
    this.intervalNanos = 1_000_000_000L / ratePerSecond;
    // Enough in flight to keep the pace against a slow order system, never a flood against a dead
    // one.
    this.maxInFlight = Math.max(1, Math.min(32, ratePerSecond / 5));
    lock.closeHandler(
        v -> {
          if (!releasingLock) {
            stop("lost the database connection that holds the clean-up lock");
          }
        });
  }

  void begin() {
    context.runOnContext(
        v -> {
          stopPoll =
              context
                  .owner()
                  .setPeriodic(
                      STOP_POLL_MILLIS,
                      id ->
                          store
                              .stopRequested(runId)
                              .onSuccess(
                                  requested -> {
                                    if (requested) {
                                      stop(STOPPED_BY_OPS);
                                    }
                                  }));
          pump();
        });
  }

  public long runId() {
    return runId;
  }

  /** Completes with the stored report once the execution has ended: finished, or stopped. */
  public Future<CleanupReport> completion() {
    return completion.future();
  }

  /** Ends the execution once the cancels in flight are answered and stored; nothing new is sent. */
  public void stop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
    context.runOnContext(v -> pump());
  }

  /** Why it stopped early, or null when it ran (or is running) to the end. */
  public String stopReason() {
    return stopReason;
  }

  public Progress progress() {
    return tally.progress(running);
  }

  /** Orders this execution still has to send. */
  public long pending() {
    return running ? tally.unanswered() : 0;
  }

  private void pump() {
    if (finishing) {
      return;
    }
    if (stopReason != null || exhausted && queue.isEmpty()) {
      if (inFlight == 0) {
        finish();
      }
      return;
    }
    while (inFlight < maxInFlight && !queue.isEmpty()) {
      long now = System.nanoTime();
      if (now < nextSendNanos) {
        arm(nextSendNanos - now);
        break;
      }
      nextSendNanos = Math.max(nextSendNanos, now - intervalNanos) + intervalNanos;
      send(queue.poll());
    }
    if (queue.size() < PAGE / 2 && !loading && !exhausted) {
      load();
    }
  }

  private void arm(long nanos) {
    if (!timerArmed) {
      timerArmed = true;
      context
          .owner()
          .setTimer(
              Math.max(1, nanos / 1_000_000),
              id -> {
                timerArmed = false;
                pump();
              });
    }
  }

  private void load() {
    loading = true;
    store
        .page(runId, cursor, PAGE)
        .onComplete(
            ar -> {
              loading = false;
              if (ar.failed()) {
                stop("cannot read the run's orders from PostgreSQL: " + ar.cause().getMessage());
                return;
              }
              if (ar.result().size() < PAGE) {
                exhausted = true;
              }
              if (!ar.result().isEmpty()) {
                cursor = ar.result().get(ar.result().size() - 1).id();
                queue.addAll(ar.result());
              }
              pump();
            });
  }

  private void send(Item item) {
    inFlight++;
    String requestId = "cleanup-" + runId + "-" + item.id();
    canceller
        .cancel(window.source(), item.orderId(), requestId)
        .compose(outcome -> store.record(item.id(), outcome).map(outcome))
        .onComplete(
            ar -> {
              inFlight--;
              if (ar.failed()) {
                stop(
                    "cannot store the result of a cancel in PostgreSQL: "
                        + ar.cause().getMessage());
              } else {
                String stop = tally.count(item, ar.result());
                if (stop != null) {
                  stop(stop);
                }
              }
              pump();
            });
  }

  private void finish() {
    finishing = true;
    context.owner().cancelTimer(stopPoll);
    String state = stopReason == null ? "finished" : "stopped";
    store
        .finish(runId, state)
        .compose(v -> store.report(runId))
        .eventually(
            () -> {
              releasingLock = true;
              return lock.close();
            })
        .onComplete(
            ar -> {
              running = false;
              Progress p = progress();
              if (ar.succeeded() && ar.result().isPresent()) {
                LOG.info(
                    "Clean-up run {} of source '{}' {}: {} cancelled, {} already gone, {} failed{}",
                    runId,
                    window.source(),
                    state,
                    p.cancelled(),
                    p.gone(),
                    p.failed(),
                    stopReason == null ? "" : " (" + stopReason + ")");
                completion.complete(ar.result().get());
              } else {
                String why = ar.failed() ? ar.cause().getMessage() : "the run is gone";
                LOG.warn(
                    "Clean-up run {} of source '{}' ended, but its report could not be read: {}",
                    runId,
                    window.source(),
                    why);
                completion.fail(
                    new IllegalStateException(
                        "clean-up run "
                            + runId
                            + " ended ("
                            + p.cancelled()
                            + " cancelled, "
                            + p.gone()
                            + " already gone, "
                            + p.failed()
                            + " failed in this execution), but its state could not be stored or read: "
                            + why));
              }
            });
  }
}
