package io.ordergate.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipper thread: reads the spool from the last committed position, ships a batch, commits the
 * position locally once PostgreSQL has it. Waits with a growing pause while PostgreSQL fails; the
 * spool holds the records meanwhile. Never runs on an event loop: the JDBC driver blocks.
 */
final class Shipper implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);

  /** Rows that are not requests (they come from releases of held orders): not accounted. */
  static final Set<String> NOT_REQUESTS = Set.of("released", "release-in-doubt");

  private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MIN_PAUSE_MILLIS = 250;
  private static final long MAX_PAUSE_MILLIS = 5_000;

  /** What a shipped batch counted for; called on the shipper thread. */
  interface Listener {
    void shipped(long rows, long aggregateRows, long accounted, long replayed, int rejected);

    void failed(Exception e);

    void lost(long records);
  }

  private final Spool spool;
  private final AuditSink sink;
  private final int batchSize;
  private final long intervalNanos;
  private final Listener listener;
  private volatile boolean stopped;
  private volatile boolean hurry;
  private int lastBatch;
  private volatile Thread thread;
  private boolean connected;
  private SpoolPosition position;

  Shipper(
      Spool spool, AuditSink sink, int batchSize, java.time.Duration interval, Listener listener) {
    this.spool = spool;
    this.sink = sink;
    this.batchSize = batchSize;
    this.intervalNanos = interval.toNanos();
    this.listener = listener;
    this.position = spool.committed();
  }

  void start() {
    Thread t = new Thread(this, "ordergate-audit-shipper");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** New records in the spool: no need to wait for the next idle check. */
  void wake() {
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** From now on ships what there is at once, without waiting for a fuller batch (a drain). */
  void hurry() {
    hurry = true;
    wake();
  }

  /** Stops after the batch in progress; waits up to {@code millis} for that. */
  void stop(long millis) throws InterruptedException {
    stopped = true;
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
      t.join(millis);
    }
    sink.close();
  }

  @Override
  public void run() {
    long pause = MIN_PAUSE_MILLIS;
    long waitUntil = System.nanoTime();
    while (!stopped) {
      try {
        long wait = waitUntil - System.nanoTime();
        if (wait > 0 && !hurry) {
          // wake() also ends this park: check again how long is left
          LockSupport.parkNanos(wait);
          continue;
        }
        if (!shipOnce()) {
          LockSupport.parkNanos(IDLE_NANOS);
        } else if (lastBatch < batchSize) {
          waitUntil = System.nanoTime() + intervalNanos;
        }
        pause = MIN_PAUSE_MILLIS;
      } catch (Exception e) {
        connected = false;
        sink.close();
        listener.failed(e);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
        pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
      } catch (Error e) {
        LOG.error("Audit shipper stopped by an error", e);
        throw e;
      }
    }
  }

  /** Ships one batch if there is one; false when the spool had nothing new. */
  boolean shipOnce() throws Exception {
    if (!connected) {
      SpoolPosition shipped = sink.shipped(spool.id());
      if (shipped != null && shipped.compareTo(position) > 0) {
        LOG.info(
            "Audit spool: PostgreSQL already has everything before {}; skipping to it", shipped);
        position = shipped;
      }
      connected = true;
    }
    SpoolPosition firstOwn = spool.firstOwn();
    boolean replay = position.compareTo(firstOwn) < 0;
    Spool.Read read = spool.read(position, batchSize, firstOwn.segment());
    lastBatch = read.payloads().size();
    if (read.payloads().isEmpty()) {
      if (read.next().equals(position)) {
        return false;
      }
      spool.commit(read.next(), 0, read.bytes());
      position = read.next();
      return true;
    }
    List<AuditRecord> rows = new ArrayList<>(read.payloads().size());
    List<Aggregate> aggregates = new ArrayList<>();
    long requests = 0;
    long lost = 0;
    for (byte[] payload : read.payloads()) {
      Object entry;
      try {
        entry = EntryCodec.decode(payload);
      } catch (RuntimeException e) {
        lost++;
        LOG.error("Audit spool: a record passed its checksum but cannot be read: {}", e.toString());
        continue;
      }
      if (entry instanceof AuditRecord r) {
        rows.add(r);
        requests += NOT_REQUESTS.contains(r.decision()) ? 0 : 1;
      } else {
        Aggregate a = (Aggregate) entry;
        aggregates.add(a);
        requests += a.count();
      }
    }
    int rejected = sink.ship(spool.id(), rows, aggregates, read.next());
    spool.commit(read.next(), read.payloads().size(), read.bytes());
    position = read.next();
    listener.shipped(
        rows.size() - rejected,
        aggregates.size(),
        replay ? 0 : requests - rejected,
        replay ? requests - rejected : 0,
        rejected);
    if (lost > 0) {
      listener.lost(lost);
    }
    return true;
  }

  /** Everything before this is in PostgreSQL. */
  SpoolPosition position() {
    return spool.committed();
  }
}
