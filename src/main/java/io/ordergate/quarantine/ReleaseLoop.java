package io.ordergate.quarantine;

import io.ordergate.quarantine.Release.Progress;
import io.ordergate.quarantine.Release.State;
import io.ordergate.quarantine.Release.Tools;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.SqlConnection;
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
 * The running part of a {@link Release}, kept apart from the handle others hold: claim the next
 * order, send it, settle its row, count and audit it, keep to the rate, and finish by closing the
 * connection that holds the source's lock. The loop runs on one Vert.x context; only {@link #stop}
 * and {@link #progress} are called from other threads, hence the volatile and atomic fields.
 */
final class ReleaseLoop {
  // The handle's logger: operators (and log searches) know these lines as the release's.
  private static final Logger LOG = LoggerFactory.getLogger(Release.class);
  static final String AUDIT_RELEASED = "released";
  static final String AUDIT_IN_DOUBT = "release-in-doubt";

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

  ReleaseLoop(
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

  String id() {
    return id;
  }

  Selection selection() {
    return selection;
  }

  Future<Progress> done() {
    return done.future();
  }

  void stop(String why) {
    stopRequest = why;
  }

  void begin() {
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

  Progress progress() {
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
    ReleaseSql.claimNext(conn, now, maxId)
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
                  ReleaseSql.settle(
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
        tools
            .audit()
            .record(
                order.auditRecord(AUDIT_RELEASED, s.status(), s.orderId(), sentAt, s.answeredAt()));
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
        tools
            .audit()
            .record(order.auditRecord(AUDIT_IN_DOUBT, s.status(), null, sentAt, s.answeredAt()));
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
}
