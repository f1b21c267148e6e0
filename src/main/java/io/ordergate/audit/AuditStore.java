package io.ordergate.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * Reads of the audit table from the event loop (the writes go through {@link AuditWriter}, which
 * ships with COPY).
 */
public final class AuditStore {
  private static final String COUNT = "SELECT count(*) FROM audit";

  private final Pool pool;
  private final String instanceId;

  public AuditStore(Pool pool, String instanceId) {
    this.pool = pool;
    this.instanceId = instanceId;
  }

  public Future<Long> count() {
    return pool.query(COUNT).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<Boolean> ping() {
    return pool.query("SELECT 1").execute().map(rows -> true);
  }
}
