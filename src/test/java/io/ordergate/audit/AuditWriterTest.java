package io.ordergate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.config.AuditSettings;
import io.ordergate.metrics.GateMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuditWriterTest {
  private final Vertx vertx = Vertx.vertx();
  private final GateMetrics metrics = new GateMetrics();
  private final List<AuditRecord> stored = new CopyOnWriteArrayList<>();
  private volatile boolean databaseDown;
  private volatile Predicate<AuditRecord> refusedAsData = r -> false;

  /** Behaves like PostgreSQL: a batch is written whole or not at all. */
  private final AuditSink sink =
      batch -> {
        if (databaseDown) {
          return Future.failedFuture(new java.net.ConnectException("Connection refused"));
        }
        if (batch.stream().anyMatch(refusedAsData)) {
          return Future.failedFuture(
              new PgException("invalid byte sequence", "ERROR", "22021", null));
        }
        stored.addAll(batch);
        return Future.succeededFuture();
      };

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private AuditWriter writer() {
    AuditWriter writer =
        new AuditWriter(vertx, sink, new AuditSettings(1_000, 100, Duration.ofMillis(10)), metrics);
    writer.start();
    return writer;
  }

  private static AuditRecord record(String id) {
    return new AuditRecord(id, "web", "POST", "/orders", "forwarded", 201, null, 1, 0, 1);
  }

  private void awaitStored(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (stored.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  @Test
  void aRecordRefusedAsDataIsDroppedAloneAndTheRestOfItsBatchIsWritten() throws Exception {
    refusedAsData = r -> r.requestId().equals("bad");
    AuditWriter writer = writer();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String id = i == 20 ? "bad" : "r" + i;
      ids.add(id);
      writer.record(record(id));
    }
    awaitStored(49);
    writer.drain(5_000).await(10, TimeUnit.SECONDS);
    assertThat(stored)
        .extracting(AuditRecord::requestId)
        .containsExactlyElementsOf(ids.stream().filter(i -> !i.equals("bad")).toList());
    assertThat(metrics.scrape())
        .contains("ordergate_audit_rejected_total 1.0")
        .contains("ordergate_audit_dropped_total 0.0");
    assertThat(writer.healthy()).isTrue();
    assertThat(writer.depth()).isZero();
  }

  @Test
  void anOutageKeepsRecordsBufferedAndWritesThemWhenTheDatabaseIsBack() throws Exception {
    databaseDown = true;
    AuditWriter writer = writer();
    for (int i = 0; i < 30; i++) {
      writer.record(record("r" + i));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (writer.healthy() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(writer.healthy()).isFalse();
    assertThat(writer.depth()).isEqualTo(30);
    assertThat(stored).isEmpty();

    databaseDown = false;
    awaitStored(30);
    writer.drain(5_000).await(10, TimeUnit.SECONDS);
    assertThat(stored).hasSize(30);
    assertThat(writer.healthy()).isTrue();
    assertThat(metrics.scrape()).contains("ordergate_audit_dropped_total 0.0");
  }

  @Test
  void aFullBufferDropsAndCountsInsteadOfWaiting() {
    databaseDown = true;
    AuditWriter writer =
        new AuditWriter(vertx, sink, new AuditSettings(10, 10, Duration.ofSeconds(60)), metrics);
    for (int i = 0; i < 15; i++) {
      writer.record(record("r" + i));
    }
    assertThat(writer.depth()).isEqualTo(10);
    assertThat(metrics.scrape()).contains("ordergate_audit_dropped_total 5.0");
  }
}
