package io.ordergate.quarantine;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A row of the quarantine table as ops see it: everything but the headers and the body itself. */
public record QuarantinedOrder(
    long id,
    String sourceId,
    String requestId,
    String method,
    String path,
    int bodyBytes,
    Instant receivedAt,
    String instanceId,
    String state,
    String reason,
    Instant decidedAt,
    Integer backendStatus,
    String backendOrderId,
    String backendError) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("source", sourceId)
        .put("requestId", requestId)
        .put("method", method)
        .put("path", path)
        .put("bodyBytes", bodyBytes)
        .put("receivedAt", receivedAt.toString())
        .put("instanceId", instanceId)
        .put("state", state)
        .put("reason", reason)
        .put("decidedAt", decidedAt == null ? null : decidedAt.toString())
        .put("backendStatus", backendStatus)
        .put("backendOrderId", backendOrderId)
        .put("backendError", backendError);
  }
}
