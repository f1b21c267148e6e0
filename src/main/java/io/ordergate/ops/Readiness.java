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
  private volatile boolean requestPoolUp = true;
  private volatile String databaseError;
  private volatile boolean draining;

  public Readiness(Decisions decisions, AuditWriter audit) {
    this.decisions = decisions;
    this.audit = audit;
  }

  /**
   * The database check: {@code reachable} when PostgreSQL answered on the control plane's pool,
   * {@code requestPoolUp} when the request path's pool gave a connection in time too. A flood of
   * held orders can exhaust the latter while PostgreSQL is fine: that is not "PostgreSQL down".
   */
  public void database(boolean reachable, boolean requestPoolUp, String error) {
    databaseUp = reachable;
    this.requestPoolUp = requestPoolUp;
    databaseError = error;
  }

  /** PostgreSQL answers (on the control plane's pool). */
  public boolean databaseUp() {
    return databaseUp;
  }

  /** The request path's pool gave a connection within its timeout at the last check. */
  public boolean requestPoolUp() {
    return requestPoolUp;
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
            .put("database", databaseCheck())
            .put(
                "audit",
                (audit.canAccept() ? "accepting writes" : "spool full: writes refused")
                    + ", "
                    + audit.depth()
                    + " records not yet in PostgreSQL")
            .put("shutdown", draining ? "draining" : "no");
    return new JsonObject().put("status", ready() ? "ready" : "not ready").put("checks", checks);
  }

  private String databaseCheck() {
    if (!databaseUp || !audit.healthy()) {
      return "down: " + (databaseError != null ? databaseError : audit.lastError());
    }
    return requestPoolUp ? "up" : "up, but " + databaseError;
  }
}
