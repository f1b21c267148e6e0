package io.ordergate.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * Direct SQL on the audit table from the event loop: a liveness ping, a count, and planting rows. A
 * batch is one statement: arrays unnested server-side.
 */
public final class AuditStore {
  /**
   * Times travel as epoch microseconds (bigint) and become timestamptz in PostgreSQL, exactly: the
   * client's binary timestamp encoding cost more gateway CPU than the rest of the batch.
   */
  private static final String INSERT_BATCH =
      """
      INSERT INTO audit(request_id, source_id, method, path, decision, status, backend_order_id,
                        flag_revision, received_at, completed_at, instance_id, shadow, intervention_id)
      SELECT r.request_id, r.source_id, r.method, r.path, r.decision, r.status, r.backend_order_id, r.flag_revision,
             timestamptz 'epoch' + r.received_us * interval '1 microsecond',
             timestamptz 'epoch' + r.completed_us * interval '1 microsecond', $11, r.shadow,
             r.intervention_id
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[],
                  $7::text[], $8::bigint[], $9::bigint[], $10::bigint[], $12::text[], $13::bigint[])
           AS r(request_id, source_id, method, path, decision, status, backend_order_id, flag_revision, received_us, completed_us, shadow, intervention_id)""";

  private static final String COUNT = "SELECT count(*) FROM audit";

  private final Pool pool;
  private final String instanceId;

  public AuditStore(Pool pool, String instanceId) {
    this.pool = pool;
    this.instanceId = instanceId;
  }

  /**
   * Writes rows directly, bypassing the spool: for tools and tests that plant rows. The gateway's
   * records go through {@link AuditWriter}, which ships with COPY.
   */
  public Future<Void> insert(List<AuditRecord> batch) {
    int n = batch.size();
    String[] requestIds = new String[n];
    String[] sources = new String[n];
    String[] methods = new String[n];
    String[] paths = new String[n];
    String[] decisions = new String[n];
    Integer[] statuses = new Integer[n];
    String[] orderIds = new String[n];
    Long[] revisions = new Long[n];
    Long[] received = new Long[n];
    Long[] completed = new Long[n];
    String[] shadows = new String[n];
    Long[] interventions = new Long[n];
    for (int i = 0; i < n; i++) {
      AuditRecord r = batch.get(i);
      requestIds[i] = r.requestId();
      sources[i] = r.sourceId();
      methods[i] = r.method();
      paths[i] = r.path();
      decisions[i] = r.decision();
      statuses[i] = r.status();
      orderIds[i] = r.backendOrderId();
      revisions[i] = r.flagRevision();
      received[i] = r.receivedAtMicros();
      completed[i] = r.completedAtMicros();
      shadows[i] = r.shadow();
      interventions[i] = r.interventionId() > 0 ? r.interventionId() : null;
    }
    Tuple args =
        Tuple.tuple()
            .addArrayOfString(requestIds)
            .addArrayOfString(sources)
            .addArrayOfString(methods)
            .addArrayOfString(paths)
            .addArrayOfString(decisions)
            .addArrayOfInteger(statuses)
            .addArrayOfString(orderIds)
            .addArrayOfLong(revisions)
            .addArrayOfLong(received)
            .addArrayOfLong(completed)
            .addString(instanceId)
            .addArrayOfString(shadows)
            .addArrayOfLong(interventions);
    return pool.preparedQuery(INSERT_BATCH).execute(args).mapEmpty();
  }

  public Future<Long> count() {
    return pool.query(COUNT).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<Boolean> ping() {
    return pool.query("SELECT 1").execute().map(rows -> true);
  }
}
