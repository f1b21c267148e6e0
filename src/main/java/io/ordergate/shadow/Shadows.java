package io.ordergate.shadow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordergate.decision.Shadow;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides what a source's {@link Shadow} would have done to one write, and counts it. The request
 * itself goes on as if there were no shadow and is counted once under its own outcome in {@code
 * ordergate_requests_total}; this counter is beside it, not part of that sum.
 */
public final class Shadows {
  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public Shadows(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * The decision the shadow's action would have given this write ("would-reject",
   * "would-quarantine", "would-throttle"), counted; null when it would have passed (a shadow
   * throttle within its rate).
   */
  public String observe(String source, Shadow shadow) {
    if (shadow.action() == Shadow.Action.THROTTLE && !overRate(source, shadow.ratePerSecond())) {
      return null;
    }
    String decision = shadow.action().wouldDecision();
    counter(source, decision).increment();
    return decision;
  }

  /** Writes counted per one-second window per replica, as the real throttle counts them. */
  private boolean overRate(String source, int ratePerSecond) {
    long second = clock.millis() / 1000;
    Window window = windows.computeIfAbsent(source, s -> new Window());
    if (window.second != second) {
      synchronized (window) {
        if (window.second != second) {
          window.used.set(0);
          window.second = second;
        }
      }
    }
    return window.used.incrementAndGet() > ratePerSecond;
  }

  private Counter counter(String source, String decision) {
    String key = source + '\0' + decision;
    Counter counter = counters.get(key);
    return counter != null
        ? counter
        : counters.computeIfAbsent(
            key,
            k ->
                Counter.builder("ordergate.shadow")
                    .description(
                        "Writes a shadow kill, hold or throttle would have stopped (they were not)")
                    .tag("source", source)
                    .tag("decision", decision)
                    .register(registry));
  }

  private static final class Window {
    volatile long second = Long.MIN_VALUE;
    final AtomicInteger used = new AtomicInteger();
  }
}
