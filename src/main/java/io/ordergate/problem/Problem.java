package io.ordergate.problem;

import io.vertx.core.json.JsonObject;

/** An RFC 9457 problem document. */
public record Problem(Failure failure, String detail, String source, String requestId) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", failure.type())
        .put("title", failure.title())
        .put("status", failure.status())
        .put("detail", detail);
    if (source != null) {
      json.put("source", source);
    }
    if (requestId != null) {
      json.put("requestId", requestId);
    }
    return json;
  }
}
