package io.ordergate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches the gateway's ops API ({@code GET /ops/sources}, every {@code -DopsPollMs}, default 100)
 * for automatic trips: the first time each source shows an intervention by {@code auto-trip} that
 * was not in force when the watch started. The time is when the answer arrived, so it is late by at
 * most the poll interval plus one ops round trip.
 */
final class TripWatch implements AutoCloseable {
  /** A trip as the ops API showed it first. */
  record Trip(long seenAtMillis, long interventionId, String summary) {}

  private final DemoControl demo;
  private final long pollMillis = (long) Params.number("opsPollMs", 100);
  private final Map<String, Long> inForceAtStart = new ConcurrentHashMap<>();
  private final Map<String, Long> countedAtStart;
  private final Map<String, Trip> trips = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private volatile boolean reachable;
  private final Thread thread;

  TripWatch(DemoControl demo) {
    this.demo = demo;
    JsonNode start = demo.sources();
    if (start != null) {
      reachable = true;
      start.forEach(s -> inForceAtStart.put(s.path("id").asText(), interventionId(s)));
    }
    Map<String, Long> counted = demo.tripsCounted();
    countedAtStart = counted == null ? Map.of() : counted;
    thread = new Thread(this::run, "trip-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private static long interventionId(JsonNode source) {
    return source.path("intervention").path("id").asLong(0);
  }

  private void run() {
    for (long poll = 0; running; poll++) {
      if (poll % 5 == 0) {
        counted();
      }
      JsonNode all = demo.sources();
      long now = System.currentTimeMillis();
      if (all != null) {
        reachable = true;
        for (JsonNode s : all) {
          String summary = s.path("intervention").path("summary").asText("");
          long id = interventionId(s);
          String source = s.path("id").asText();
          if (summary.contains("by auto-trip") && id != inForceAtStart.getOrDefault(source, 0L)) {
            // The metric may have shown it first: keep that time, take the intervention's words.
            trips.merge(
                source,
                new Trip(now, id, summary),
                (seen, shown) ->
                    seen.interventionId() == 0 ? new Trip(seen.seenAtMillis(), id, summary) : seen);
          }
        }
      }
      try {
        Thread.sleep(pollMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void counted() {
    Map<String, Long> counted = demo.tripsCounted();
    long now = System.currentTimeMillis();
    if (counted != null) {
      counted.forEach(
          (source, n) -> {
            long more = n - countedAtStart.getOrDefault(source, 0L);
            if (more > 0) {
              trips.putIfAbsent(
                  source, new Trip(now, 0, "ordergate_trips_total of " + source + " +" + more));
            }
          });
    }
  }

  /** The source's trip, or null while none was seen. */
  Trip trip(String source) {
    return trips.get(source);
  }

  /** Every source seen tripped, by source. */
  Map<String, Trip> trips() {
    return Map.copyOf(trips);
  }

  /** False when the ops API never answered (wrong -DopsUrl or -DopsToken): no trip can be seen. */
  boolean reachable() {
    return reachable;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
