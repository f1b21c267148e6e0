package io.ordergate.trip;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * This replica's writes per source since the last {@link #drain()}: one {@link LongAdder} per
 * source, so counting a write allocates nothing once the source has written before.
 */
public final class WriteCounts {
  private final ConcurrentHashMap<String, LongAdder> bySource = new ConcurrentHashMap<>();

  /** On the request path, for every admitted write. */
  public void count(String source) {
    LongAdder adder = bySource.get(source);
    if (adder == null) {
      adder = bySource.computeIfAbsent(source, s -> new LongAdder());
    }
    adder.increment();
  }

  /** The counts since the last drain, sources without writes left out; resets the counters. */
  Map<String, Long> drain() {
    Map<String, Long> out = new HashMap<>();
    bySource.forEach(
        (source, adder) -> {
          long n = adder.sumThenReset();
          if (n > 0) {
            out.put(source, n);
          }
        });
    return out;
  }
}
