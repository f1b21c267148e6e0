package io.ordergate.audit;

import java.util.List;

/**
 * Where shipped batches go: {@link CopySink} (PostgreSQL) in production. Called from the shipper
 * thread only, so implementations may block.
 */
interface AuditSink extends AutoCloseable {
  /** Connects if needed; returns how far this spool has been shipped before, or null if never. */
  SpoolPosition shipped(String spoolId) throws Exception;

  /**
   * Stores the batch and the spool position after it in one transaction: all of it or nothing, so a
   * batch is never stored twice even when the process dies right after. Returns how many rows
   * PostgreSQL refused as data (logged and left out, the rest stored).
   */
  int ship(String spoolId, List<AuditRecord> rows, List<Aggregate> aggregates, SpoolPosition next)
      throws Exception;

  /** Drops the connection after a failure; the next call connects anew. */
  @Override
  void close();
}
