package io.ordergate.decision;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** Reads {@code {"ratePerSecond": N}}, the payload of the {@code throttle} variant. */
final class ThrottlePayload {
  static final int MAX_RATE = 1_000_000;

  private ThrottlePayload() {}

  /**
   * The rate, or -1 when the payload is missing, not JSON, or not a whole number in 0..MAX_RATE.
   */
  static int ratePerSecond(String payload) {
    if (payload == null || payload.isBlank()) {
      return -1;
    }
    try {
      Object value = new JsonObject(payload).getValue("ratePerSecond");
      if (!(value instanceof Number n)) {
        return -1;
      }
      double rate = n.doubleValue();
      return rate >= 0 && rate <= MAX_RATE && rate == Math.rint(rate) ? (int) rate : -1;
    } catch (DecodeException | ClassCastException e) {
      return -1;
    }
  }
}
