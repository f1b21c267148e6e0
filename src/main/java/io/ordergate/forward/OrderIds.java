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
      String id = lastSegment(location);
      if (!id.isEmpty()) {
        return limit(id);
      }
    }
    String type = reply.headers().get(HttpHeaders.CONTENT_TYPE);
    if (type == null
        || !type.contains("json")
        || reply.body() == null
        || reply.body().length() == 0
        || reply.body().length() > MAX_JSON_SCAN
        || reply.body().getByte(0) != '{') {
      return null;
    }
    try {
      Object id = new JsonObject(reply.body()).getValue("id");
      return id == null || id instanceof JsonObject ? null : limit(String.valueOf(id));
    } catch (DecodeException e) {
      return null;
    }
  }

  /**
   * The last non-empty path segment, ignoring query and fragment; no regex, it runs per request.
   */
  static String lastSegment(String location) {
    int end = location.length();
    for (int i = 0; i < location.length(); i++) {
      char c = location.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    while (end > 0 && location.charAt(end - 1) == '/') {
      end--;
    }
    int slash = location.lastIndexOf('/', end - 1);
    return location.substring(slash + 1, end);
  }

  private static String limit(String id) {
    return id.length() > 200 ? id.substring(0, 200) : id;
  }
}
