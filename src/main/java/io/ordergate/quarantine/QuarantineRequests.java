package io.ordergate.quarantine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the quarantine ops requests: a mistake is an {@link IllegalArgumentException}, which the
 * ops error mapping answers as {@code bad-ops-request}.
 */
final class QuarantineRequests {
  private QuarantineRequests() {}

  static JsonObject bodyOf(RoutingContext ctx) {
    try {
      JsonObject body =
          ctx.body() == null || ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
      if (body == null) {
        throw new IllegalArgumentException(
            "send a JSON object such as {\"source\": \"perftest\", \"reason\": \"...\"}");
      }
      return body;
    } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("the body is not a JSON object: " + e.getMessage());
    }
  }

  static Selection selection(JsonObject body) {
    Object source = body.getValue("source");
    Object ids = body.getValue("ids");
    Object reason = body.getValue("reason");
    if (source != null && !(source instanceof String)
        || reason != null && !(reason instanceof String)) {
      throw new IllegalArgumentException("source and reason must be strings");
    }
    List<Long> idList = new ArrayList<>();
    if (ids != null) {
      if (!(ids instanceof JsonArray array)) {
        throw new IllegalArgumentException("ids must be an array of numbers");
      }
      for (Object id : array) {
        if (!(id instanceof Number n) || n.doubleValue() != n.longValue()) {
          throw new IllegalArgumentException("ids must be an array of whole numbers, found " + id);
        }
        idList.add(n.longValue());
      }
    }
    return new Selection((String) source, idList, (String) reason);
  }

  static Integer integer(JsonObject body, String name) {
    Object v = body.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != n.intValue()) {
      throw new IllegalArgumentException(name + " must be a whole number");
    }
    return n.intValue();
  }

  static long number(String raw, long dflt, long min, long max, String name) {
    if (raw == null) {
      return dflt;
    }
    try {
      long v = Long.parseLong(raw);
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + ", was " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + raw + "'");
    }
  }
}
