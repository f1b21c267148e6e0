package io.ordergate.audit;

import io.micrometer.core.instrument.Counter;
import io.ordergate.config.AuditSettings;
import io.ordergate.metrics.GateMetrics;

/** The audit pipeline's metrics, fed by the shipper thread and read by the scrape. */
final class AuditCounters implements Shipper.Listener {
  private final AuditWriter writer;
  private final Counter accounted;
  private final Counter replayed;
  private final Counter dropped;
  private final Counter written;
  private final Counter failedWrites;
  private final Counter rejected;

  AuditCounters(GateMetrics metrics, AuditSettings settings, AuditWriter writer) {
    this.writer = writer;
    accounted =
        metrics.counter(
            "ordergate.audit.accounted",
            "Requests of this process whose outcome is in PostgreSQL, as a row or in an aggregate");
    replayed =
        metrics.counter(
            "ordergate.audit.replayed",
            "Requests of an earlier process shipped from the spool at start (row or aggregate)");
    dropped =
        metrics.counter(
            "ordergate.audit.dropped", "Audit records lost (a damaged spool or refused as data)");
    written =
        metrics.counter(
            "ordergate.audit.written", "Audit rows and refusal aggregates written to PostgreSQL");
    failedWrites =
        metrics.counter("ordergate.audit.write.failures", "Failed audit batch writes (retried)");
    rejected =
        metrics.counter(
            "ordergate.audit.rejected",
            "Audit records PostgreSQL refused as data (dropped, logged)");
    metrics.gauge(
        "ordergate.audit.buffer.depth",
        "Audit records not yet in PostgreSQL (memory and spool)",
        writer::depth);
    metrics.gauge(
        "ordergate.audit.buffer.capacity",
        "Records that may wait in memory for the next spool flush",
        settings::bufferSize);
    metrics.gauge(
        "ordergate.audit.spool.bytes", "Bytes in the spool not yet shipped", writer::spoolBytes);
    metrics.gauge(
        "ordergate.audit.spool.records",
        "Records in the spool not yet shipped",
        writer::spoolRecords);
    metrics.gauge(
        "ordergate.audit.spool.capacity.bytes",
        "Spool size at which writes are refused",
        settings::spoolMaxBytes);
    metrics.gauge(
        "ordergate.audit.spool.oldest.age.seconds",
        "Age of the oldest audit record not yet in PostgreSQL",
        writer::oldestAgeSeconds);
    metrics.gauge(
        "ordergate.audit.accepting",
        "1 while writes are accepted, 0 while they are refused with audit-unavailable",
        () -> writer.canAccept() ? 1 : 0);
  }

  @Override
  public void shipped(
      long rows, long aggregateRows, long requests, long replayedRequests, int refused) {
    written.increment(rows + aggregateRows);
    accounted.increment(requests);
    replayed.increment(replayedRequests);
    if (refused > 0) {
      rejected.increment(refused);
      dropped.increment(refused);
    }
    writer.shippedOk();
  }

  @Override
  public void failed(Exception e) {
    failedWrites.increment();
    writer.shipFailed(e);
  }

  @Override
  public void lost(long records) {
    dropped.increment(records);
  }
}
