package io.ordergate.ops;

import io.ordergate.audit.AuditWriter;
import io.ordergate.decision.Decisions;
import io.vertx.core.json.JsonObject;

/**
 * Decides what {@code /ready} answers: flags loaded and not draining. PostgreSQL is reported but
 * does not decide: plain forwarding needs no database (the audit spool holds the records), and what
 * does need it (quarantine, idempotency keys) answers its own 503.
 */
public final class Readiness {
  private final Decisions decisions;
  private final AuditWriter audit;
  private volatile boolean databaseUp = true;
  private volatile String databaseError;
  private volatile boolean draining;

  public Readiness(Decisions decisions, AuditWriter audit) {
    this.decisions = decisions;
    this.audit = audit;
  }

  public void database(boolean up, String error) {
    databaseUp = up;
    databaseError = error;
  }

  public boolean databaseUp() {
    return databaseUp;
  }

  public void draining() {
    draining = true;
  }

  public boolean ready() {
    return !draining && decisions.built();
  }

  public JsonObject describe() {
    JsonObject checks =
        new JsonObject()
            .put("flags", decisions.built() ? "loaded" : "not loaded yet")
            .put(
                "database",
                databaseUp && audit.healthy()
                    ? "up"
                    : "down: " + (databaseError != null ? databaseError : audit.lastError()))
            .put(
                "audit",
                (audit.canAccept() ? "accepting writes" : "spool full: writes refused")
                    + ", "
                    + audit.depth()
                    + " records not yet in PostgreSQL")
            .put("shutdown", draining ? "draining" : "no");
    return new JsonObject().put("status", ready() ? "ready" : "not ready").put("checks", checks);
  }
}
