package io.ordergate.quarantine;

import io.ordergate.audit.AuditRecord;
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
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the held orders of one source to the order system, oldest first, at a bounded rate, each
 * at most once. One order at a time is claimed ('releasing', committed before it is sent), sent
 * through the {@link Forwarder}, and settled: released with the backend's answer, back to its
 * previous state if it provably never left the gateway (and the release stops), or in_doubt if it
 * may have been sent (a time-out). The release holds its source's advisory lock on a connection of
 * its own, so one releaser per source runs across all replicas; a row found 'releasing' under that
 * lock was left by a release that died, and becomes in_doubt instead of being sent again.
 */
public final class Release {
  private static final Logger LOG = LoggerFactory.getLogger(Release.class);
  static final String AUDIT_RELEASED = "released";
  static final String AUDIT_IN_DOUBT = "release-in-doubt";

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

  private final String id;
  private final Tools tools;
  private final Selection selection;
  private final int ratePerSecond;
  private final SqlConnection conn;
  private final long total;
  private final long maxId;
  private final long interruptedFound;
  private final Instant startedAt;
  private final Context context;
  private final Promise<Progress> done = Promise.promise();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong inDoubt = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Map<String, AtomicLong> releasedByStatus = new ConcurrentHashMap<>();

  /**
   * Named orders not yet claimed by this release. An order named by id may be claimed from
   * in_doubt, so without this an order that ends in_doubt again would be claimed again by the same
   * release.
   */
  private final Set<Long> unclaimed;

  private volatile State state = State.RUNNING;
  private volatile String stopReason;
  private volatile String stopRequest;
  private volatile Instant finishedAt;
  private long lastSendNanos;

  private Release(
      String id,
      Tools tools,
      Selection selection,
      int ratePerSecond,
      SqlConnection conn,
      long[] snapshot,
      long interruptedFound,
      Context context) {
    this.id = id;
    this.tools = tools;
    this.selection = selection;
    this.ratePerSecond = ratePerSecond;
    this.conn = conn;
    this.total = snapshot[0];
    this.maxId = snapshot[1];
    this.interruptedFound = interruptedFound;
    this.startedAt = tools.clock().instant();
    this.context = context;
    this.unclaimed = new LinkedHashSet<>(selection.ids());
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
                        tools
                            .store()
                            .tryLock(conn, source)
                            .compose(
                                locked ->
                                    locked
                                        ? tools
                                            .store()
                                            .markInterrupted(conn, source, tools.clock().instant())
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
                                                    id,
                                                    tools,
                                                    selection,
                                                    ratePerSecond,
                                                    conn,
                                                    snapshot,
                                                    interrupted,
                                                    context)))
                            .onFailure(e -> conn.close()))
                .onComplete(started));
    return started.future().onSuccess(Release::begin);
  }

  private void begin() {
    if (interruptedFound > 0) {
      LOG.warn(
          "Release {} of '{}': {} order(s) left 'releasing' by an interrupted release are now in_doubt (not resent)",
          id,
          selection.source(),
          interruptedFound);
    }
    LOG.info(
        "Release {} of '{}' started: {} order(s) at up to {}/s ({})",
        id,
        selection.source(),
        total,
        ratePerSecond,
        selection.reason());
    context.runOnContext(v -> next());
  }

  public String id() {
    return id;
  }

  public String source() {
    return selection.source();
  }

  /** Completes with the final progress once the release has stopped, whatever the reason. */
  public Future<Progress> done() {
    return done.future();
  }

  /** Asks the release to stop after the order it is sending, if any. */
  public void stop(String why) {
    stopRequest = why;
  }

  public Progress progress() {
    Map<String, Long> byStatus = new TreeMap<>();
    releasedByStatus.forEach((k, v) -> byStatus.put(k, v.get()));
    return new Progress(
        id,
        selection.source(),
        selection.reason(),
        ratePerSecond,
        state,
        total,
        sent.get(),
        byStatus,
        inDoubt.get(),
        failed.get(),
        interruptedFound,
        stopReason,
        startedAt,
        finishedAt);
  }

  private void next() {
    if (stopRequest != null) {
      finish(State.STOPPED, stopRequest);
      return;
    }
    if (selection.byIds() && unclaimed.isEmpty()) {
      finish(
          State.FINISHED,
          null); // never fall back to "every held order": an empty id list means that
      return;
    }
    Selection now = selection.byIds() ? selection.withIds(List.copyOf(unclaimed)) : selection;
    tools
        .store()
        .claimNext(conn, now, maxId)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                finish(State.FAILED, "database: " + ar.cause().getMessage());
              } else if (ar.result().isEmpty()) {
                finish(State.FINISHED, null);
              } else {
                unclaimed.remove(ar.result().get().id());
                send(ar.result().get());
              }
            });
  }

  private void send(Claimed order) {
    lastSendNanos = System.nanoTime();
    Instant sentAt = tools.clock().instant();
    tools
        .forwarder()
        .forward(order.toForwardRequest())
        .onComplete(
            ar -> {
              Settlement s =
                  Settlement.of(
                      order, ar.result(), ar.cause(), selection.reason(), tools.clock().instant());
              settled(
                  tools
                      .store()
                      .settle(
                          conn,
                          order.id(),
                          s.state(),
                          s.reason(),
                          s.answeredAt(),
                          s.storedStatus(),
                          s.orderId(),
                          s.note()),
                  () -> after(order, s, sentAt));
            });
  }

  /** Counts, audits and goes on (or stops) once the order's row is settled. */
  private void after(Claimed order, Settlement s, Instant sentAt) {
    switch (s.kind()) {
      case RELEASED -> {
        sent.incrementAndGet();
        releasedByStatus
            .computeIfAbsent(Integer.toString(s.status()), k -> new AtomicLong())
            .incrementAndGet();
        tools.metrics().quarantineReleased(order.sourceId(), s.status() / 100 + "xx");
        audit(order, AUDIT_RELEASED, s.status(), s.orderId(), sentAt, s.answeredAt());
        paceThenNext();
      }
      case NOT_SENT -> {
        failed.incrementAndGet();
        finish(
            State.FAILED,
            "order "
                + order.id()
                + " was not sent and is "
                + order.previousState()
                + " again: "
                + s.detail());
      }
      case IN_DOUBT -> {
        sent.incrementAndGet();
        inDoubt.incrementAndGet();
        tools.metrics().quarantineReleased(order.sourceId(), QuarantineStore.IN_DOUBT);
        audit(order, AUDIT_IN_DOUBT, s.status(), null, sentAt, s.answeredAt());
        LOG.warn(
            "Release {}: order {} ({}) is in_doubt: {}",
            id,
            order.id(),
            order.requestId(),
            s.detail());
        paceThenNext();
      }
    }
  }

  /**
   * Runs {@code then} once the row is settled; a database failure stops the release, the row stays
   * 'releasing'.
   */
  private void settled(Future<Void> settle, Runnable then) {
    settle.onComplete(
        ar -> {
          if (ar.succeeded()) {
            then.run();
          } else {
            finish(
                State.FAILED,
                "database, while recording an order it sent (it becomes in_doubt when the release resumes): "
                    + ar.cause().getMessage());
          }
        });
  }

  /**
   * Keeps to the rate: a send starts at least 1/rate after the one before, so a stall is never
   * followed by a burst that catches up.
   */
  private void paceThenNext() {
    long dueNanos = lastSendNanos + 1_000_000_000L / ratePerSecond;
    long waitMillis = (dueNanos - System.nanoTime()) / 1_000_000;
    if (waitMillis >= 1) {
      tools.vertx().setTimer(waitMillis, t -> next());
    } else {
      context.runOnContext(v -> next());
    }
  }

  private void audit(
      Claimed order,
      String decision,
      int status,
      String orderId,
      Instant sentAt,
      Instant answeredAt) {
    tools
        .audit()
        .record(
            new AuditRecord(
                order.requestId(),
                order.sourceId(),
                order.method(),
                order.path(),
                decision,
                status,
                orderId,
                0,
                micros(sentAt),
                micros(answeredAt)));
  }

  private void finish(State end, String why) {
    state = end;
    stopReason = why;
    finishedAt = tools.clock().instant();
    Progress p = progress();
    LOG.info(
        "Release {} of '{}' {}: {} sent ({} released, {} in_doubt), {} failed, {} remaining{}",
        id,
        selection.source(),
        end.name().toLowerCase(),
        p.sent(),
        p.released(),
        p.inDoubt(),
        p.failed(),
        p.remaining(),
        why == null ? "" : " (" + why + ")");
    // Closing the connection releases the source's lock.
    conn.close().onComplete(ar -> done.complete(progress()));
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
  }
}
