package io.ordergate.forward;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** Finds the order system's id for an order, so a clean-up can find the order later. */
public final class OrderIds {
  private static final int MAX_JSON_SCAN = 64 * 1024;

  private OrderIds() {}

  /** From the {@code Location} header's last segment, else a top-level JSON {@code id}; or null. */
  public static String from(BackendReply reply) {
    String location = reply.headers().get(HttpHeaders.LOCATION);
    if (location != null && !location.isEmpty()) {
      String trimmed = location.replaceAll("[?#].*$", "").replaceAll("/+$", "");
      int slash = trimmed.lastIndexOf('/');
      String id = slash >= 0 ? trimmed.substring(slash + 1) : trimmed;
      if (!id.isEmpty()) {
        return limit(id);
      }
    }
    String type = reply.headers().get(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.contains("json") || reply.body() == null
        || reply.body().length() == 0 || reply.body().length() > MAX_JSON_SCAN || reply.body().getByte(0) != '{') {
      return null;
    }
    try {
      Object id = new JsonObject(reply.body()).getValue("id");
      return id == null || id instanceof JsonObject ? null : limit(String.valueOf(id));
    } catch (DecodeException e) {
      return null;
    }
  }

  private static String limit(String id) {
    return id.length() > 200 ? id.substring(0, 200) : id;
  }
}
