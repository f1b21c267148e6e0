package io.ordergate.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** All SQL of the audit table. A batch is one statement: arrays unnested server-side. */
public final class AuditStore implements AuditSink {
  private static final String INSERT_BATCH = """
      INSERT INTO audit(request_id, source_id, method, path, decision, status, backend_order_id,
                        flag_revision, received_at, completed_at, instance_id)
      SELECT r.*, $11 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[],
                                  $7::text[], $8::bigint[], $9::timestamptz[], $10::timestamptz[]) AS r""";
  private static final String COUNT = "SELECT count(*) FROM audit";

  private final Pool pool;
  private final String instanceId;

  public AuditStore(Pool pool, String instanceId) {
    this.pool = pool;
    this.instanceId = instanceId;
  }

  @Override
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
    OffsetDateTime[] received = new OffsetDateTime[n];
    OffsetDateTime[] completed = new OffsetDateTime[n];
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
      received[i] = toTime(r.receivedAtMicros());
      completed[i] = toTime(r.completedAtMicros());
    }
    Tuple args = Tuple.tuple()
        .addArrayOfString(requestIds).addArrayOfString(sources).addArrayOfString(methods)
        .addArrayOfString(paths).addArrayOfString(decisions).addArrayOfInteger(statuses)
        .addArrayOfString(orderIds).addArrayOfLong(revisions)
        .addArrayOfOffsetDateTime(received).addArrayOfOffsetDateTime(completed)
        .addString(instanceId);
    return pool.preparedQuery(INSERT_BATCH).execute(args).mapEmpty();
  }

  public Future<Long> count() {
    return pool.query(COUNT).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<Boolean> ping() {
    return pool.query("SELECT 1").execute().map(rows -> true);
  }

  private static OffsetDateTime toTime(long micros) {
    return OffsetDateTime.ofInstant(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000), ZoneOffset.UTC);
  }
}
