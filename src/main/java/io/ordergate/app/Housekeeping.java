package io.ordergate.app;

import io.ordergate.audit.AuditStore;
import io.ordergate.db.Partitions;
import io.ordergate.idempotency.IdempotencyStore;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.ops.Readiness;
import io.ordergate.quarantine.QuarantineStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's periodic jobs: is PostgreSQL up (for readiness and the held-orders gauge), purging
 * expired idempotency keys, and the audit's day partitions (created ahead, dropped after the
 * retention).
 */
final class Housekeeping {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
  private static final long DB_CHECK_MILLIS = 2_000;
  private static final long PURGE_MILLIS = 60_000;
  private static final int PURGE_BATCH = 10_000;

  /** Audit partitions are created days ahead; an hourly look is plenty. */
  private static final long PARTITION_MILLIS = 3_600_000;

  private final Vertx vertx;
  private final AuditStore auditStore;
  private final Pool control;
  private final QuarantineStore quarantine;
  private final IdempotencyStore idempotency;
  private final Partitions partitions;
  private final Readiness readiness;
  private final GateMetrics metrics;
  private long dbCheckTimer = -1;
  private long purgeTimer = -1;
  private long partitionTimer = -1;

  Housekeeping(
      Vertx vertx,
      AuditStore auditStore,
      Pool control,
      QuarantineStore quarantine,
      IdempotencyStore idempotency,
      Partitions partitions,
      Readiness readiness,
      GateMetrics metrics) {
    this.vertx = vertx;
    this.auditStore = auditStore;
    this.control = control;
    this.quarantine = quarantine;
    this.idempotency = idempotency;
    this.partitions = partitions;
    this.readiness = readiness;
    this.metrics = metrics;
  }

  void start() {
    dbCheckTimer = vertx.setPeriodic(DB_CHECK_MILLIS, id -> checkDatabase());
    purgeTimer = vertx.setPeriodic(PURGE_MILLIS, id -> purgeExpiredKeys());
    partitionTimer = vertx.setPeriodic(PARTITION_MILLIS, id -> partitions.maintain());
  }

  void stop() {
    if (dbCheckTimer >= 0) {
      vertx.cancelTimer(dbCheckTimer);
    }
    if (purgeTimer >= 0) {
      vertx.cancelTimer(purgeTimer);
    }
    if (partitionTimer >= 0) {
      vertx.cancelTimer(partitionTimer);
    }
  }

  /**
   * PostgreSQL is up when the control plane's pool answers; the request path's pool is checked
   * apart, so that a pool exhausted by a flood of holds is told apart from PostgreSQL down (and
   * does not page anyone as a database outage). Also refreshes the held-orders gauge: one grouped
   * count on the partial index, not one per scrape.
   */
  private void checkDatabase() {
    Future<Void> data =
        auditStore.ping().<Void>mapEmpty().recover(e -> failed("request path pool", e));
    Future<Void> controlPlane =
        control
            .query("SELECT 1")
            .execute()
            .<Void>mapEmpty()
            .recover(e -> failed("control pool", e));
    Future.join(data, controlPlane)
        .onComplete(
            ar -> {
              boolean reachable = controlPlane.succeeded();
              boolean requestPool = data.succeeded();
              if (reachable && requestPool) {
                quarantine.heldBySource().onSuccess(metrics::quarantineHeldNow);
              }
              boolean wasUp = readiness.databaseUp();
              boolean poolWasUp = readiness.requestPoolUp();
              String error =
                  !reachable
                      ? controlPlane.cause().getMessage()
                      : requestPool ? null : data.cause().getMessage();
              readiness.database(reachable, requestPool, error);
              if (wasUp && !reachable) {
                LOG.warn("PostgreSQL does not answer: {}", error);
              } else if (!wasUp && reachable) {
                LOG.info("PostgreSQL answers again");
              }
              if (reachable && poolWasUp && !requestPool) {
                LOG.warn(
                    "PostgreSQL answers, but the request path's pool is exhausted ({}): holds and"
                        + " idempotency keys wait; kills and trips use the control pool",
                    error);
              } else if (reachable && !poolWasUp && requestPool) {
                LOG.info("The request path's pool has connections again");
              }
            });
  }

  private static Future<Void> failed(String pool, Throwable e) {
    return Future.failedFuture(pool + ": " + e.getMessage());
  }

  private void purgeExpiredKeys() {
    idempotency
        .purge(PURGE_BATCH)
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result() > 0) {
                LOG.info("Purged {} expired idempotency keys", ar.result());
              } else if (ar.failed() && readiness.databaseUp()) {
                LOG.warn("Purging expired idempotency keys failed: {}", ar.cause().getMessage());
              }
            });
  }
}
