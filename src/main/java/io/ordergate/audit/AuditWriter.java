package io.ordergate.audit;

import io.ordergate.config.AuditSettings;
import io.ordergate.metrics.GateMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit pipeline behind the request path: {@link #record} hands a record over in memory; every
 * flush interval one thread appends what came in to the local {@link Spool}; the {@link Shipper}
 * thread copies the spool to PostgreSQL. Nothing is dropped: when the spool is full, {@link
 * #canAccept} says so and the request path refuses writes instead.
 */
public final class AuditWriter {
  private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
  private static final long SEGMENT_BYTES = 64L << 20;

  private final Vertx vertx;
  private final AuditSink sink;
  private final AuditSettings settings;
  private final Clock clock;
  private final Intake intake;
  private final ScheduledExecutorService flusher;
  private final AuditCounters counters;

  /** Records taken from the intake that the spool has not taken yet (a failed append). */
  private final List<byte[]> unwritten = new ArrayList<>();

  /** Per flush: {end segment, end offset, oldest record's arrival millis}; for the age gauge. */
  private final ConcurrentLinkedDeque<long[]> flushes = new ConcurrentLinkedDeque<>();

  private volatile Spool spool;
  private volatile Shipper shipper;
  private volatile int unwrittenCount;
  private volatile boolean spoolFailing;
  private volatile boolean healthy = true;
  private volatile String lastError;

  AuditWriter(
      Vertx vertx, AuditSink sink, AuditSettings settings, GateMetrics metrics, Clock clock) {
    this.vertx = vertx;
    this.sink = sink;
    this.settings = settings;
    this.clock = clock;
    this.intake = new Intake(settings.samplePerSecond());
    this.counters = new AuditCounters(metrics, settings, this);
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ordergate-audit-spool");
              t.setDaemon(true);
              return t;
            });
  }

  /** A writer that ships to the PostgreSQL at {@code database}, rows tagged {@code instanceId}. */
  public static AuditWriter toPostgres(
      Vertx vertx,
      AuditSettings settings,
      GateMetrics metrics,
      Clock clock,
      PgConnectOptions database,
      String instanceId) {
    return new AuditWriter(vertx, new CopySink(database, instanceId), settings, metrics, clock);
  }

  /**
   * Opens the spool (replaying what an earlier process left in it) and starts flushing and
   * shipping. Fails when the spool cannot be opened, for example because another process has it.
   */
  public Future<Void> start() {
    return vertx.executeBlocking(
        () -> {
          Spool s;
          try {
            s = Spool.open(settings.spoolDir(), SEGMENT_BYTES);
          } catch (IOException e) {
            throw new IllegalStateException(
                AuditSettings.SPOOL_DIR + " " + settings.spoolDir() + ": " + e.getMessage(), e);
          }
          if (s.records() > 0) {
            LOG.info(
                "Audit spool {}: replaying {} records ({} bytes) left by an earlier run",
                settings.spoolDir(),
                s.records(),
                s.bytes());
            flushes.add(new long[] {s.firstOwn().segment(), s.firstOwn().offset(), clock.millis()});
          }
          counters.lost(s.lostAtOpen());
          spool = s;
          shipper = new Shipper(s, sink, settings.batchSize(), settings.shipInterval(), counters);
          shipper.start();
          long every = settings.flushInterval().toMillis();
          flusher.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
          return null;
        });
  }

  /** Never blocks on I/O: the record waits in memory for the next flush. */
  public void record(AuditRecord record) {
    intake.add(record, clock.millis());
  }

  /**
   * Whether a write may go ahead: its record will find room in memory and in the spool. When not,
   * the write is refused (503 audit-unavailable) rather than forwarded unrecorded.
   */
  public boolean canAccept() {
    Spool s = spool;
    return !spoolFailing
        && intake.waiting() + unwrittenCount < settings.bufferSize()
        && (s == null || s.bytes() < settings.spoolMaxBytes());
  }

  /** Records not yet in PostgreSQL: in memory and in the spool. */
  public long depth() {
    Spool s = spool;
    return intake.waiting() + unwrittenCount + (s == null ? 0 : s.records());
  }

  /** Whether the last attempt to ship to PostgreSQL worked. */
  public boolean healthy() {
    return healthy;
  }

  public String lastError() {
    return lastError;
  }

  long spoolBytes() {
    Spool s = spool;
    return s == null ? 0 : s.bytes();
  }

  long spoolRecords() {
    Spool s = spool;
    return s == null ? 0 : s.records();
  }

  /** Seconds since the oldest record not yet in PostgreSQL arrived; 0 when there is none. */
  double oldestAgeSeconds() {
    Spool s = spool;
    if (s != null) {
      SpoolPosition done = s.committed();
      long[] head;
      while ((head = flushes.peekFirst()) != null
          && new SpoolPosition(head[0], head[1]).compareTo(done) <= 0) {
        flushes.pollFirst();
      }
      if (head != null) {
        return Math.max(0, clock.millis() - head[2]) / 1000.0;
      }
    }
    return 0;
  }

  void shippedOk() {
    if (!healthy) {
      LOG.info("Audit shipping to PostgreSQL recovered; {} records still to ship", depth());
    }
    healthy = true;
    lastError = null;
  }

  void shipFailed(Exception e) {
    if (healthy) {
      LOG.warn(
          "Audit shipping to PostgreSQL failed, the spool keeps the records ({} waiting): {}",
          depth(),
          e.getMessage());
    }
    healthy = false;
    lastError = e.getMessage();
  }

  /** On the flusher thread: memory to the spool, in one write. */
  void flush() {
    try {
      Intake.Drained taken = intake.drain();
      taken.rows().forEach(r -> unwritten.add(EntryCodec.encode(r)));
      taken.aggregates().forEach(a -> unwritten.add(EntryCodec.encode(a)));
      unwrittenCount = unwritten.size();
      if (unwritten.isEmpty()) {
        return;
      }
      spool.append(unwritten, settings.fsync());
      SpoolPosition end = spool.writeEnd();
      flushes.add(new long[] {end.segment(), end.offset(), taken.oldestMillis()});
      unwritten.clear();
      unwrittenCount = 0;
      if (spoolFailing) {
        LOG.info("Audit spool writes recovered");
      }
      spoolFailing = false;
      shipper.wake();
    } catch (IOException | RuntimeException e) {
      if (!spoolFailing) {
        LOG.error(
            "Audit spool write failed; {} records kept in memory, writes refused until it works: {}",
            unwritten.size(),
            e.toString());
      }
      spoolFailing = true;
    }
  }

  /**
   * Writes what is in memory to the spool and waits until the spool is shipped, or the deadline;
   * then stops. What is not shipped by then stays in the spool for the next start.
   */
  public Future<Void> drain(long deadlineMillis) {
    if (spool == null) {
      return Future.succeededFuture();
    }
    shipper.hurry();
    Promise<Void> done = Promise.promise();
    long deadline = System.currentTimeMillis() + deadlineMillis;
    awaitShipped(deadline, done);
    return done.future().compose(v -> vertx.executeBlocking(this::close));
  }

  /**
   * Checked on the flusher thread right after a flush: no record can be between the intake and the
   * spool while the check runs.
   */
  private void awaitShipped(long deadline, Promise<Void> done) {
    flusher.execute(
        () -> {
          flush();
          boolean empty =
              intake.isEmpty()
                  && unwritten.isEmpty()
                  && spool.committed().compareTo(spool.writeEnd()) >= 0;
          vertx.runOnContext(v -> shippedOrNot(empty, deadline, done));
        });
  }

  private void shippedOrNot(boolean empty, long deadline, Promise<Void> done) {
    if (empty) {
      LOG.info("Audit spool shipped");
      done.complete();
    } else if (System.currentTimeMillis() > deadline) {
      LOG.warn(
          "Audit: {} records not shipped to PostgreSQL by the deadline ({}); they stay in the spool"
              + " {} and are shipped at the next start",
          depth(),
          lastError,
          settings.spoolDir());
      done.complete();
    } else {
      vertx.setTimer(20, id -> awaitShipped(deadline, done));
    }
  }

  private Void close() throws Exception {
    flusher.shutdown();
    flusher.awaitTermination(5, TimeUnit.SECONDS);
    flush(); // the flusher has stopped: this thread is the only writer now
    shipper.stop(5_000);
    spool.close();
    return null;
  }
}
