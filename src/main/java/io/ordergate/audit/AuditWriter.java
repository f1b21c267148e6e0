package io.ordergate.audit;

import io.micrometer.core.instrument.Counter;
import io.ordergate.config.AuditSettings;
import io.ordergate.metrics.GateMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit records behind the request path. Requests only offer to a bounded queue; a timer
 * drains it in batches. When PostgreSQL is slow or down the queue absorbs the difference; when the
 * queue is full, records are dropped and counted, never waited for.
 */
public final class AuditWriter {
  private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);

  private final Vertx vertx;
  private final AuditSink store;
  private final AuditSettings settings;
  private final BlockingQueue<AuditRecord> queue;
  private final Counter dropped;
  private final Counter written;
  private final Counter failedWrites;
  private final Counter rejected;

  /** The batch being written, until it is settled; counted in {@link #depth()}. */
  private List<AuditRecord> pending;

  /** After PostgreSQL refused a batch as data: write the pending records one at a time. */
  private boolean isolating;

  private boolean flushing;
  private volatile boolean healthy = true;
  private volatile String lastError;
  private long timerId = -1;
  private Context context;

  public AuditWriter(Vertx vertx, AuditSink store, AuditSettings settings, GateMetrics metrics) {
    this.vertx = vertx;
    this.store = store;
    this.settings = settings;
    this.queue = new ArrayBlockingQueue<>(settings.bufferSize());
    this.dropped =
        metrics.counter(
            "ordergate.audit.dropped", "Audit records dropped because the buffer was full");
    this.written =
        metrics.counter("ordergate.audit.written", "Audit records written to PostgreSQL");
    this.failedWrites =
        metrics.counter("ordergate.audit.write.failures", "Failed audit batch writes (retried)");
    this.rejected =
        metrics.counter(
            "ordergate.audit.rejected",
            "Audit records PostgreSQL refused as data (dropped, logged)");
    metrics.gauge(
        "ordergate.audit.buffer.depth", "Audit records waiting to be written", this::depth);
    metrics.gauge(
        "ordergate.audit.buffer.capacity", "Size of the audit buffer", settings::bufferSize);
  }

  /** Flushes run on one context of their own, so the batch state needs no locking. */
  public void start() {
    context = vertx.getOrCreateContext();
    context.runOnContext(
        v -> timerId = vertx.setPeriodic(settings.flushInterval().toMillis(), id -> flush()));
  }

  /** Never blocks: the record is queued or, with the buffer full, dropped and counted. */
  public void record(AuditRecord record) {
    if (!queue.offer(record)) {
      dropped.increment();
    }
  }

  public int depth() {
    return queue.size() + (pending == null ? 0 : pending.size());
  }

  public boolean healthy() {
    return healthy;
  }

  public String lastError() {
    return lastError;
  }

  private Future<Void> flush() {
    if (flushing) {
      return Future.succeededFuture();
    }
    if (pending == null) {
      if (queue.isEmpty()) {
        return Future.succeededFuture();
      }
      pending = new ArrayList<>(Math.min(settings.batchSize(), queue.size()));
      queue.drainTo(pending, settings.batchSize());
    }
    flushing = true;
    List<AuditRecord> batch = isolating ? List.of(pending.get(0)) : pending;
    return store
        .insert(batch)
        .andThen(
            result -> {
              flushing = false;
              if (result.succeeded()) {
                written.increment(batch.size());
                markHealthy();
                settle(batch.size());
              } else if (isDataError(result.cause())) {
                if (isolating) {
                  rejected.increment();
                  LOG.error(
                      "Dropped audit record {}: PostgreSQL refuses it ({})",
                      batch.get(0).requestId(),
                      result.cause().getMessage());
                  settle(1);
                } else {
                  // One bad record must not cost the batch: write the records one by one, drop only
                  // the bad.
                  LOG.error(
                      "Audit batch of {} refused as data ({}); writing it record by record",
                      batch.size(),
                      result.cause().getMessage());
                  isolating = true;
                  vertx.runOnContext(v -> flush());
                }
              } else {
                failedWrites.increment();
                if (healthy) {
                  LOG.warn(
                      "Audit write failed, retrying; {} records buffered: {}",
                      depth(),
                      result.cause().getMessage());
                }
                healthy = false;
                lastError = result.cause().getMessage();
              }
            });
  }

  /**
   * The first {@code done} pending records are settled; carries on while there is more to write.
   */
  private void settle(int done) {
    if (isolating) {
      pending.subList(0, done).clear();
    } else {
      pending.clear();
    }
    if (pending.isEmpty()) {
      pending = null;
      isolating = false;
    }
    if (pending != null || queue.size() >= settings.batchSize()) {
      vertx.runOnContext(v -> flush());
    }
  }

  private void markHealthy() {
    if (!healthy) {
      LOG.info("Audit writes recovered");
    }
    healthy = true;
    lastError = null;
  }

  /** SQLSTATE class 22 (data exception): the record, not the database, is the problem. */
  private static boolean isDataError(Throwable t) {
    return t instanceof PgException pg
        && pg.getSqlState() != null
        && pg.getSqlState().startsWith("22");
  }

  /** Stops the timer and writes everything still buffered, giving up after the deadline. */
  public Future<Void> drain(long deadlineMillis) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          if (timerId >= 0) {
            vertx.cancelTimer(timerId);
          }
          drainStep(System.currentTimeMillis() + deadlineMillis, done);
        });
    return done.future();
  }

  private void drainStep(long deadline, Promise<Void> done) {
    if (!flushing && depth() == 0) {
      LOG.info("Audit buffer flushed");
      done.complete();
      return;
    }
    if (System.currentTimeMillis() > deadline) {
      LOG.error(
          "Gave up flushing the audit buffer: {} records not written ({})", depth(), lastError);
      done.complete();
      return;
    }
    if (flushing) {
      vertx.setTimer(10, id -> drainStep(deadline, done));
      return;
    }
    flush()
        .onComplete(
            r ->
                vertx.setTimer(
                    r.succeeded() && healthy ? 1 : 200, id -> drainStep(deadline, done)));
  }
}
