package io.ordergate.db;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import java.util.Map;

/**
 * How headers are kept in a {@code jsonb} column (held orders, stored idempotent answers): a JSON
 * array of {@code [name, value]} pairs, order and repeats kept.
 */
public final class StoredHeaders {
  private StoredHeaders() {}

  public static JsonArray toJson(MultiMap headers) {
    JsonArray out = new JsonArray();
    for (Map.Entry<String, String> h : headers) {
      out.add(new JsonArray().add(h.getKey()).add(h.getValue()));
    }
    return out;
  }

  public static MultiMap fromJson(JsonArray pairs) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    if (pairs != null) {
      for (int i = 0; i < pairs.size(); i++) {
        JsonArray pair = pairs.getJsonArray(i);
        out.add(pair.getString(0), pair.getString(1));
      }
    }
    return out;
  }
}
