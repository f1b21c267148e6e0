package io.ordergate.cleanup;

import io.ordergate.config.CleanupSettings;
import io.ordergate.metrics.GateMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clean-up, as both the {@code cleanup} command and the ops API use it: plan a window (the dry
 * run), start or resume its execution, read a run's report. One execution per source at a time,
 * across processes: each holds a PostgreSQL advisory lock on a connection of its own, which the
 * database releases by itself when the process dies.
 */
public final class Cleanups {
  private static final Logger LOG = LoggerFactory.getLogger(Cleanups.class);
  public static final int SAMPLE_SIZE = 10;

  private final Vertx vertx;
  private final CleanupStore store;
  private final PgConnectOptions lockDatabase;
  private final CleanupSettings settings;
  private final OrderCanceller canceller;
  private final GateMetrics metrics;
  private final String instanceId;
  private final Map<Long, CleanupExecution> running = new ConcurrentHashMap<>();

  /**
   * @param canceller null where only dry runs and reports are wanted
   */
  public Cleanups(
      Vertx vertx,
      Pool pool,
      PgConnectOptions lockDatabase,
      CleanupSettings settings,
      OrderCanceller canceller,
      GateMetrics metrics,
      String instanceId) {
    this.vertx = vertx;
    this.store = new CleanupStore(pool);
    this.lockDatabase = lockDatabase;
    this.settings = settings;
    this.canceller = canceller;
    this.metrics = metrics;
    this.instanceId = instanceId;
  }

  public CleanupSettings settings() {
    return settings;
  }

  /** The dry run: what an execution of this window would cancel; writes nothing. */
  public Future<CleanupPlan> plan(CleanupWindow window) {
    return store.plan(window, SAMPLE_SIZE, 0);
  }

  /**
   * Starts the run of this window, or resumes it: adds the window's orders not yet in the run, then
   * sends every cancel not yet answered (or answered with a failure) at {@code ratePerSecond}.
   * Fails with {@link CleanupBusyException} while another execution holds the source.
   */
  public Future<CleanupExecution> start(CleanupWindow window, int ratePerSecond) {
    if (canceller == null) {
      return Future.failedFuture(
          new IllegalStateException("no order system configured to send cancels to"));
    }
    if (ratePerSecond < 1 || ratePerSecond > CleanupSettings.MAX_RATE) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "rate must be between 1 and " + CleanupSettings.MAX_RATE + " per second"));
    }
    Context context = vertx.getOrCreateContext();
    Promise<CleanupExecution> started = Promise.promise();
    context.runOnContext(
        v ->
            PgConnection.connect(vertx, lockDatabase)
                .compose(
                    lock ->
                        CleanupStore.tryLock(lock, window.source())
                            .compose(
                                locked ->
                                    locked
                                        ? open(context, lock, window, ratePerSecond)
                                        : busy(window))
                            .onFailure(e -> lock.close()))
                .onComplete(started));
    return started.future();
  }

  private Future<CleanupExecution> busy(CleanupWindow window) {
    return store
        .describeRunning(window.source())
        .transform(
            ar ->
                Future.failedFuture(
                    new CleanupBusyException(
                        "a clean-up of source '"
                            + window.source()
                            + "' is already running"
                            + (ar.succeeded() && ar.result().isPresent()
                                ? " (" + ar.result().get() + ")"
                                : "")
                            + "; only one runs per source at a time. Wait for it to end, or stop it, then run this again")));
  }

  private Future<CleanupExecution> open(
      Context context, io.vertx.sqlclient.SqlConnection lock, CleanupWindow window, int rate) {
    return store
        .openRun(window, settings.cancelRequest().toString(), instanceId)
        .compose(
            runId ->
                store
                    .planItems(runId, window)
                    .compose(
                        added ->
                            store
                                .countTodo(runId)
                                .map(
                                    todo -> {
                                      CleanupExecution execution =
                                          new CleanupExecution(
                                              context, runId, window, todo, rate, store, canceller,
                                              lock, metrics);
                                      running.put(runId, execution);
                                      execution
                                          .completion()
                                          .onComplete(ar -> running.remove(runId));
                                      LOG.info(
                                          "Clean-up run {} of source '{}' in [{}, {}): {} orders to cancel ({} newly planned) at up to {}/s with '{}'",
                                          runId,
                                          window.source(),
                                          window.since(),
                                          window.until(),
                                          todo,
                                          added,
                                          rate,
                                          settings.cancelRequest());
                                      execution.begin();
                                      return execution;
                                    })));
  }

  /** The stored state of a run, wherever it runs. */
  public Future<Optional<CleanupReport>> report(long runId) {
    return store.report(runId);
  }

  /**
   * Stops the run wherever it executes: at once here, within about a second in another process
   * (which polls the request). False when the run is not running.
   */
  public Future<Boolean> stop(long runId) {
    running(runId).ifPresent(e -> e.stop(CleanupExecution.STOPPED_BY_OPS));
    return store.requestStop(runId);
  }

  /** The execution of this run in this process, if one is going on. */
  public Optional<CleanupExecution> running(long runId) {
    return Optional.ofNullable(running.get(runId));
  }

  /** Orders the executions in this process still have to send. */
  public long pending() {
    return running.values().stream().mapToLong(CleanupExecution::pending).sum();
  }

  /**
   * Stops every execution in this process after its cancels in flight; completes when they have
   * ended.
   */
  public Future<Void> stop(String reason) {
    List<Future<CleanupReport>> ending =
        running.values().stream()
            .map(
                e -> {
                  e.stop(reason);
                  return e.completion();
                })
            .toList();
    return Future.join(ending)
        .transform(ar -> canceller == null ? Future.succeededFuture() : canceller.close());
  }
}
