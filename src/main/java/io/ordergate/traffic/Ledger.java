package io.ordergate.traffic;

import io.ordergate.audit.AuditRecord;
import io.ordergate.audit.AuditWriter;
import io.ordergate.metrics.GateMetrics;
import java.util.concurrent.atomic.AtomicInteger;

/** Where a finished request is counted and audited, and how many are still running. */
interface Ledger {
  /** A request arrived: it is in flight until {@link #close} ran for it. */
  void open();

  void count(String source, String decision, long nanos, long completedEpochMillis);

  void audit(AuditRecord record);

  /** Called last: the drain may flush the audit buffer as soon as no request is in flight. */
  void close();

  int inFlight();

  /** The gateway's ledger: request metrics, the audit writer, an in-flight counter. */
  static Ledger of(GateMetrics metrics, AuditWriter audit) {
    AtomicInteger inFlight = new AtomicInteger();
    return new Ledger() {
      @Override
      public void open() {
        inFlight.incrementAndGet();
      }

      @Override
      public void count(String source, String decision, long nanos, long completedEpochMillis) {
        metrics.request(source, decision, nanos, completedEpochMillis);
      }

      @Override
      public void audit(AuditRecord record) {
        audit.record(record);
      }

      @Override
      public void close() {
        inFlight.decrementAndGet();
      }

      @Override
      public int inFlight() {
        return inFlight.get();
      }
    };
  }
}
