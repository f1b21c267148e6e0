package io.ordergate.trip;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * This replica's writes per source over its last ticks, so the rate it reports every quarter of a
 * second is over the last second (sliding) rather than over a quarter, whose counts are small and
 * noisy. The rate divides by at least the window: just after a start it is low, never inflated.
 */
final class RecentCounts {
  private record Tick(long millis, Map<String, Long> counts) {}

  private final long windowMillis;
  private final ArrayDeque<Tick> ticks = new ArrayDeque<>();
  private long millis;

  RecentCounts(long windowMillis) {
    this.windowMillis = windowMillis;
  }

  /** The counts of one tick that lasted {@code tickMillis}. */
  void add(long tickMillis, Map<String, Long> counts) {
    ticks.addLast(new Tick(Math.max(0, tickMillis), counts));
    millis += Math.max(0, tickMillis);
    // keep the newest ticks that cover the window; a late tick may cover more on its own
    while (ticks.size() > 1 && millis - ticks.peekFirst().millis() >= windowMillis) {
      millis -= ticks.removeFirst().millis();
    }
  }

  /** Writes per second per source over the ticks kept; sources without writes left out. */
  Map<String, Double> rates() {
    Map<String, Long> sums = new HashMap<>();
    for (Tick t : ticks) {
      t.counts().forEach((source, n) -> sums.merge(source, n, Long::sum));
    }
    double seconds = Math.max(windowMillis, millis) / 1000.0;
    Map<String, Double> out = new HashMap<>();
    sums.forEach((source, n) -> out.put(source, n / seconds));
    return out;
  }
}
