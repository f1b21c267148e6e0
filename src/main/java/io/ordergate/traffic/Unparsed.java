package io.ordergate.traffic;

import io.ordergate.audit.AuditRecord;
import io.ordergate.audit.AuditWriter;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.problem.Failure;
import java.time.Clock;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Counts and audits a request that ended before it became a request Vert.x could hand on: a head
 * that did not arrive in time. It is counted in {@code ordergate_requests_total} with its decision
 * and has an audit row (method and path {@code -}: they were never received), like any other.
 */
final class Unparsed {
  static final String UNKNOWN = "-";

  private final GateMetrics metrics;
  private final AuditWriter audit;
  private final LongSupplier revision;
  private final Clock clock;

  Unparsed(GateMetrics metrics, AuditWriter audit, LongSupplier revision, Clock clock) {
    this.metrics = metrics;
    this.audit = audit;
    this.revision = revision;
    this.clock = clock;
  }

  /**
   * @param startNanos {@link System#nanoTime()} when its first byte (or its connection) arrived
   */
  void record(String requestId, Failure failure, long startNanos) {
    long nanos = System.nanoTime() - startNanos;
    long completedMicros = micros(clock.instant());
    long receivedMicros = completedMicros - nanos / 1_000;
    metrics.request(null, failure.slug(), nanos, completedMicros / 1_000);
    audit.record(
        new AuditRecord(
            requestId,
            null,
            UNKNOWN,
            UNKNOWN,
            failure.slug(),
            failure.status(),
            null,
            revision.getAsLong(),
            receivedMicros,
            completedMicros));
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
  }
}
