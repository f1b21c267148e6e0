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
  private final AuditStore store;
  private final AuditSettings settings;
  private final BlockingQueue<AuditRecord> queue;
  private final Counter dropped;
  private final Counter written;
  private final Counter failedWrites;
  private List<AuditRecord> pending;
  private boolean flushing;
  private volatile boolean healthy = true;
  private volatile String lastError;
  private long timerId = -1;
  private Context context;

  public AuditWriter(Vertx vertx, AuditStore store, AuditSettings settings, GateMetrics metrics) {
    this.vertx = vertx;
    this.store = store;
    this.settings = settings;
    this.queue = new ArrayBlockingQueue<>(settings.bufferSize());
    this.dropped = metrics.counter("ordergate.audit.dropped", "Audit records dropped because the buffer was full");
    this.written = metrics.counter("ordergate.audit.written", "Audit records written to PostgreSQL");
    this.failedWrites = metrics.counter("ordergate.audit.write.failures", "Failed audit batch writes (retried)");
    metrics.gauge("ordergate.audit.buffer.depth", "Audit records waiting to be written", this::depth);
    metrics.gauge("ordergate.audit.buffer.capacity", "Size of the audit buffer", settings::bufferSize);
  }

  /** Flushes run on one context of their own, so the batch state needs no locking. */
  public void start() {
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> timerId = vertx.setPeriodic(settings.flushInterval().toMillis(), id -> flush()));
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

  public double droppedCount() {
    return dropped.count();
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
    List<AuditRecord> batch = pending;
    return store.insert(batch).andThen(result -> {
      flushing = false;
      if (result.succeeded()) {
        pending = null;
        written.increment(batch.size());
        if (!healthy) {
          LOG.info("Audit writes recovered");
        }
        healthy = true;
        lastError = null;
        if (queue.size() >= settings.batchSize()) {
          vertx.runOnContext(v -> flush());
        }
      } else if (isDataError(result.cause())) {
        pending = null;
        LOG.error("Audit batch of {} refused as data ({}); writing its records one by one", batch.size(), result.cause().getMessage());
        insertOneByOne(batch, 0);
      } else {
        failedWrites.increment();
        if (healthy) {
          LOG.warn("Audit write failed, retrying; {} records buffered: {}", depth(), result.cause().getMessage());
        }
        healthy = false;
        lastError = result.cause().getMessage();
      }
    });
  }

  /** A record PostgreSQL refuses as data would fail forever: it is dropped and counted, the rest written. */
  private void insertOneByOne(List<AuditRecord> batch, int index) {
    if (index == batch.size()) {
      flushing = false;
      return;
    }
    flushing = true;
    AuditRecord record = batch.get(index);
    store.insert(List.of(record)).onComplete(ar -> {
      if (ar.succeeded()) {
        written.increment();
      } else {
        dropped.increment();
        LOG.error("Dropped audit record {} that PostgreSQL refuses: {}", record.requestId(), ar.cause().getMessage());
      }
      insertOneByOne(batch, index + 1);
    });
  }

  /** SQLSTATE class 22 (data exception): the batch, not the database, is the problem. */
  private static boolean isDataError(Throwable t) {
    return t instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22");
  }

  /** Stops the timer and writes everything still buffered, giving up after the deadline. */
  public Future<Void> drain(long deadlineMillis) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
      }
      drainStep(System.currentTimeMillis() + deadlineMillis, done);
    });
    return done.future();
  }

  private void drainStep(long deadline, Promise<Void> done) {
    if (depth() == 0) {
      LOG.info("Audit buffer flushed");
      done.complete();
      return;
    }
    if (System.currentTimeMillis() > deadline) {
      LOG.error("Gave up flushing the audit buffer: {} records not written ({})", depth(), lastError);
      done.complete();
      return;
    }
    if (flushing) {
      vertx.setTimer(10, id -> drainStep(deadline, done));
      return;
    }
    flush().onComplete(r -> vertx.setTimer(r.succeeded() && healthy ? 1 : 200, id -> drainStep(deadline, done)));
  }
}
