package io.ordergate.ops;

import io.ordergate.audit.AuditWriter;
import io.ordergate.decision.Decisions;
import io.vertx.core.json.JsonObject;

/** Decides what {@code /ready} answers: flags loaded, database answering, not draining. */
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
    return !draining && decisions.built() && databaseUp && audit.healthy();
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
            .put("shutdown", draining ? "draining" : "no");
    return new JsonObject().put("status", ready() ? "ready" : "not ready").put("checks", checks);
  }
}
