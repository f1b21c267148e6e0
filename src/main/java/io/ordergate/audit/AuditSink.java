package io.ordergate.audit;

import io.vertx.core.Future;
import java.util.List;

/** Where audit batches go; {@link AuditStore} in production. */
@FunctionalInterface
public interface AuditSink {
  /** Writes the batch as a whole, or fails without writing any of it. */
  Future<Void> insert(List<AuditRecord> batch);
}
