package io.ordergate.quarantine;

import io.ordergate.audit.AuditWriter;
import io.ordergate.config.QuarantineSettings;
import io.ordergate.forward.Forwarder;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.problem.Failure;
import io.ordergate.problem.GateException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Replays the held orders of one source to the order system, oldest first, at a bounded rate, each
 * at most once. One order at a time is claimed ('releasing', committed before it is sent), sent
 * through the {@link Forwarder}, and settled: released with the backend's answer, back to its
 * previous state if it provably never left the gateway (and the release stops), or in_doubt if it
 * may have been sent (a time-out). The release holds its source's advisory lock on a connection of
 * its own, so one releaser per source runs across all replicas; a row found 'releasing' under that
 * lock was left by a release that died, and becomes in_doubt instead of being sent again.
 *
 * <p>This class is the handle the ops API and the {@code quarantine release} command hold: it
 * checks the request, takes the lock and starts the loop ({@link ReleaseLoop}), which does the
 * sending; the handle reads its progress and asks it to stop.
 */
public final class Release {
  /**
   * What a release needs, the same in the gateway and in the {@code quarantine release} command.
   */
  public record Tools(
      Vertx vertx,
      PgConnectOptions database,
      QuarantineStore store,
      Forwarder forwarder,
      AuditWriter audit,
      GateMetrics metrics,
      Clock clock) {}

  /** Where a release stands. */
  public enum State {
    RUNNING,
    FINISHED,
    STOPPED,
    FAILED
  }

  /** A consistent-enough view of a release's counters for the API and the progress bar. */
  public record Progress(
      String id,
      String source,
      String reason,
      int ratePerSecond,
      State state,
      long total,
      long sent,
      Map<String, Long> releasedByStatus,
      long inDoubt,
      long failed,
      long interruptedFound,
      String stopReason,
      Instant startedAt,
      Instant finishedAt) {

    public long released() {
      return releasedByStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Selected orders not sent (yet): still held, or put back after a failure. */
    public long remaining() {
      return Math.max(0, total - sent);
    }
  }

  private final ReleaseLoop loop;

  private Release(ReleaseLoop loop) {
    this.loop = loop;
  }

  /**
   * Fails with an {@link IllegalArgumentException} for a rate outside 1 to {@value
   * QuarantineSettings#MAX_RATE}.
   */
  public static int checkRate(int ratePerSecond) {
    if (ratePerSecond < 1 || ratePerSecond > QuarantineSettings.MAX_RATE) {
      throw new IllegalArgumentException(
          "ratePerSecond must be between 1 and "
              + QuarantineSettings.MAX_RATE
              + ", was "
              + ratePerSecond);
    }
    return ratePerSecond;
  }

  /**
   * The selection with its source named: given, or the one source its ids belong to. Fails with an
   * {@link IllegalArgumentException} when the ids belong to no or to several sources.
   */
  public static Future<Selection> resolve(QuarantineStore store, Selection selection) {
    if (selection.source() != null) {
      return Future.succeededFuture(selection);
    }
    return store
        .sourcesOf(selection.ids())
        .compose(
            sources ->
                sources.size() == 1
                    ? Future.succeededFuture(selection.forSource(sources.get(0)))
                    : Future.failedFuture(
                        new IllegalArgumentException(
                            sources.isEmpty()
                                ? "no quarantined order has any of the ids " + selection.ids()
                                : "the ids belong to several sources "
                                    + sources
                                    + "; a release handles one source at a time")));
  }

  /**
   * Takes the source's release lock, turns what an interrupted release left 'releasing' into
   * in_doubt, counts the selection and starts sending. Fails with {@link
   * Failure#QUARANTINE_RELEASE_RUNNING} when another release of the source holds the lock. The
   * selection must name its source.
   */
  public static Future<Release> start(
      String id, Tools tools, Selection selection, int ratePerSecond) {
    checkRate(ratePerSecond);
    String source = selection.source();
    Context context = tools.vertx().getOrCreateContext();
    Promise<Release> started = Promise.promise();
    context.runOnContext(
        v ->
            PgConnection.connect(tools.vertx(), tools.database())
                .compose(
                    conn ->
                        ReleaseSql.tryLock(conn, source)
                            .compose(
                                locked ->
                                    locked
                                        ? ReleaseSql.markInterrupted(
                                            conn, source, tools.clock().instant())
                                        : Future.failedFuture(
                                            new GateException(
                                                Failure.QUARANTINE_RELEASE_RUNNING,
                                                "another release of source '"
                                                    + source
                                                    + "' is running (on this or another gateway); wait for it or stop it first")))
                            .compose(
                                interrupted ->
                                    tools
                                        .store()
                                        .snapshot(conn, selection)
                                        .map(
                                            snapshot ->
                                                new Release(
                                                    new ReleaseLoop(
                                                        id,
                                                        tools,
                                                        selection,
                                                        ratePerSecond,
                                                        conn,
                                                        snapshot,
                                                        interrupted,
                                                        context))))
                            .onFailure(e -> conn.close()))
                .onComplete(started));
    return started.future().onSuccess(release -> release.loop.begin());
  }

  public String id() {
    return loop.id();
  }

  public String source() {
    return loop.selection().source();
  }

  /** Completes with the final progress once the release has stopped, whatever the reason. */
  public Future<Progress> done() {
    return loop.done();
  }

  /** Asks the release to stop after the order it is sending, if any. */
  public void stop(String why) {
    loop.stop(why);
  }

  public Progress progress() {
    return loop.progress();
  }
}
