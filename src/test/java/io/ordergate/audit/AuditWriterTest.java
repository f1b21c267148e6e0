package io.ordergate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.config.AuditSettings;
import io.ordergate.metrics.GateMetrics;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditWriterTest {
  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final FakeDatabase db = new FakeDatabase();

  /** Behaves like PostgreSQL: a batch and its spool position are stored whole or not at all. */
  static final class FakeDatabase implements AuditSink {
    final List<AuditRecord> rows = new CopyOnWriteArrayList<>();
    final List<Aggregate> aggregates = new CopyOnWriteArrayList<>();
    volatile boolean down;
    volatile SpoolPosition shipped;

    @Override
    public SpoolPosition shipped(String spoolId) throws Exception {
      if (down) {
        throw new java.net.ConnectException("Connection refused");
      }
      return shipped;
    }

    @Override
    public int ship(String id, List<AuditRecord> r, List<Aggregate> a, SpoolPosition next)
        throws Exception {
      if (down) {
        throw new java.net.ConnectException("Connection refused");
      }
      rows.addAll(r);
      aggregates.addAll(a);
      shipped = next;
      return 0;
    }

    long accounted() {
      return rows.size() + aggregates.stream().mapToLong(Aggregate::count).sum();
    }

    @Override
    public void close() {}
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private AuditSettings settings(long spoolMaxBytes, int sample) {
    return new AuditSettings(
        1_000, 100, Duration.ofMillis(10), dir, spoolMaxBytes, false, 30, sample, Duration.ZERO);
  }

  private AuditWriter start(AuditSettings settings, GateMetrics metrics) throws Exception {
    AuditWriter w = new AuditWriter(vertx, db, settings, metrics, Clock.systemUTC());
    w.start().await(10, TimeUnit.SECONDS);
    return w;
  }

  private static AuditRecord record(String id, String decision, long micros) {
    return new AuditRecord(id, "web", "POST", "/orders", decision, 201, null, 1, micros, micros);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static double counter(GateMetrics metrics, String name) {
    return metrics.registry().get(name).counter().count();
  }

  @Test
  void everyRecordIsShippedOnceAndAccounted() throws Exception {
    GateMetrics metrics = new GateMetrics();
    AuditWriter w = start(settings(1 << 20, 100), metrics);
    for (int i = 0; i < 500; i++) {
      w.record(record("r" + i, "forwarded", 1_000_000L * i));
    }
    await(() -> db.rows.size() == 500);
    assertThat(db.rows.stream().map(AuditRecord::requestId).distinct()).hasSize(500);
    await(() -> counter(metrics, "ordergate.audit.accounted") == 500);
    assertThat(counter(metrics, "ordergate.audit.dropped")).isZero();
    w.drain(5_000).await(10, TimeUnit.SECONDS);
  }

  @Test
  void refusalsBeyondTheSampleBecomeExactCountsPerSecond() throws Exception {
    GateMetrics metrics = new GateMetrics();
    AuditWriter w = start(settings(1 << 20, 10), metrics);
    for (int i = 0; i < 1_000; i++) {
      // two seconds' worth of one source's refused flood, plus forwarded orders among it
      w.record(record("d" + i, "source-disabled", i < 600 ? 5_000_000L : 6_000_000L));
      if (i % 100 == 0) {
        w.record(record("f" + i, "forwarded", 5_000_000L));
      }
    }
    w.drain(10_000).await(20, TimeUnit.SECONDS);
    assertThat(db.rows.stream().filter(r -> r.decision().equals("forwarded"))).hasSize(10);
    assertThat(db.rows.stream().filter(r -> r.decision().equals("source-disabled"))).hasSize(20);
    assertThat(db.accounted()).isEqualTo(1_010);
    assertThat(counter(metrics, "ordergate.audit.accounted")).isEqualTo(1_010);
  }

  @Test
  void aDatabaseOutageFillsTheSpoolThenRefusesThenCatchesUp() throws Exception {
    GateMetrics metrics = new GateMetrics();
    db.down = true;
    AuditWriter w = start(settings(65_536, 100), metrics);
    int n = 0;
    while (w.canAccept()) {
      w.record(record("r" + n, "forwarded", 1_000_000L * n));
      n++;
      if (n % 50 == 0) {
        Thread.sleep(15); // let the flusher move them to the spool
      }
    }
    assertThat(w.healthy()).isFalse();
    assertThat(db.rows).isEmpty();
    db.down = false;
    int sent = n;
    await(() -> db.rows.size() == sent);
    await(w::canAccept);
    assertThat(db.rows.stream().map(AuditRecord::requestId).distinct()).hasSize(sent);
    assertThat(counter(metrics, "ordergate.audit.dropped")).isZero();
    w.drain(5_000).await(10, TimeUnit.SECONDS);
  }

  @Test
  void aRestartShipsWhatWasLeftAndNothingTwice() throws Exception {
    db.down = true;
    AuditWriter first = start(settings(1 << 20, 100), new GateMetrics());
    for (int i = 0; i < 300; i++) {
      first.record(record("r" + i, "forwarded", 1_000_000L * i));
    }
    first.drain(200).await(10, TimeUnit.SECONDS); // PostgreSQL down: all stays in the spool
    assertThat(db.rows).isEmpty();
    db.down = false;
    GateMetrics metrics = new GateMetrics();
    AuditWriter second = start(settings(1 << 20, 100), metrics);
    second.record(record("new", "forwarded", 1));
    await(() -> db.rows.size() == 301);
    second.drain(5_000).await(10, TimeUnit.SECONDS);
    assertThat(db.rows.stream().map(AuditRecord::requestId).distinct()).hasSize(301);
    assertThat(counter(metrics, "ordergate.audit.replayed")).isEqualTo(300);
    assertThat(counter(metrics, "ordergate.audit.accounted")).isEqualTo(1);

    // PostgreSQL committed the batches but the process died before the spool noted it: the spool
    // replays from its start, and what PostgreSQL already has is skipped, not stored twice.
    java.nio.file.Files.writeString(dir.resolve("committed"), "0 0\n");
    AuditWriter third = start(settings(1 << 20, 100), new GateMetrics());
    third.record(record("late", "forwarded", 2));
    await(() -> db.rows.size() >= 302);
    third.drain(5_000).await(10, TimeUnit.SECONDS);
    assertThat(db.rows).hasSize(302);
    assertThat(db.rows.stream().map(AuditRecord::requestId).distinct()).hasSize(302);
  }
}
