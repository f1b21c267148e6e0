package io.ordergate.flags;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flag states a webhook announced before Unleash's client API publishes them (its one-second job):
 * "flag X is now on/off in our environment, as of event N". They are laid over the flags last
 * fetched until a fetch reaches revision N (then the fetch rules, whatever it says) or, should it
 * never, for {@value #EXPIRE_SECONDS} s. Unleash stays the record: this only brings its answer
 * earlier. Not thread-safe on its own: {@link FailLoudFetcher} calls it under its lock.
 */
final class ProvisionalFlags {
  private static final Logger LOG = LoggerFactory.getLogger(ProvisionalFlags.class);

  /**
   * Unleash publishes within about a second; a loaded server within a few. A state it never
   * publishes (its database was restored, say) must not hold for ever.
   */
  static final long EXPIRE_SECONDS = 30;

  private record Pending(boolean enabled, long eventId, long sinceNanos) {}

  private final Map<String, Pending> byFlag = new LinkedHashMap<>();

  boolean isEmpty() {
    return byFlag.isEmpty();
  }

  /**
   * Takes a state announced by event {@code eventId} unless the flags fetched already include that
   * event, the flag is not among them, or a newer event of the flag was announced.
   *
   * @return why it was not taken, or null when it was
   */
  String offer(String fetchedJson, long revision, String flag, boolean enabled, long eventId) {
    if (eventId <= 0) {
      return "the event has no id, so its order is unknown";
    }
    if (eventId <= revision) {
      return "the flags fetched (revision " + revision + ") already include it";
    }
    if (fetchedJson == null || find(new JsonObject(fetchedJson), flag) == null) {
      return "no flag '" + flag + "' among the flags fetched";
    }
    Pending existing = byFlag.get(flag);
    if (existing != null && existing.eventId() >= eventId) {
      return "event #" + existing.eventId() + " of the flag came first";
    }
    byFlag.put(flag, new Pending(enabled, eventId, System.nanoTime()));
    return null;
  }

  /**
   * Drops what a fetch at {@code revision} settled (or that expired); true if anything was dropped.
   */
  boolean settle(long revision) {
    long now = System.nanoTime();
    boolean[] dropped = {false};
    byFlag
        .entrySet()
        .removeIf(
            e -> {
              Pending p = e.getValue();
              if (p.eventId() <= revision) {
                LOG.info(
                    "Unleash revision {} fetched: flag '{}' now as Unleash publishes it (event #{} had said {})",
                    revision,
                    e.getKey(),
                    p.eventId(),
                    p.enabled() ? "on" : "off");
              } else if (now - p.sinceNanos() > TimeUnit.SECONDS.toNanos(EXPIRE_SECONDS)) {
                LOG.warn(
                    "Unleash did not publish event #{} within {} s (fetched revision {}): flag '{}' back to the state fetched",
                    p.eventId(),
                    EXPIRE_SECONDS,
                    revision,
                    e.getKey());
              } else {
                return false;
              }
              dropped[0] = true;
              return true;
            });
    return dropped[0];
  }

  /** The event each provisional state comes from, by flag. */
  Map<String, Long> eventIds() {
    Map<String, Long> out = new java.util.HashMap<>();
    byFlag.forEach((flag, p) -> out.put(flag, p.eventId()));
    return Map.copyOf(out);
  }

  /** The fetched flags with the provisional states laid over them. */
  String overlay(String fetchedJson) {
    JsonObject all = new JsonObject(fetchedJson);
    byFlag.forEach(
        (flag, p) -> {
          JsonObject f = find(all, flag);
          if (f != null) {
            f.put("enabled", p.enabled());
          }
        });
    return all.encode();
  }

  private static JsonObject find(JsonObject all, String flag) {
    JsonArray features = all.getJsonArray("features");
    if (features == null) {
      return null;
    }
    for (int i = 0; i < features.size(); i++) {
      if (features.getValue(i) instanceof JsonObject f && flag.equals(f.getString("name"))) {
        return f;
      }
    }
    return null;
  }
}
