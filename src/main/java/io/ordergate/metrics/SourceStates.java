package io.ordergate.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What this replica does with each source's writes right now, as {@code
 * ordergate_source_state{source,state}} (1 for the state in force, 0 for the others), and since
 * when, as {@code ordergate_source_state_changed_seconds{source}} (Unix time the source's decision
 * last changed on this replica, or was first made). Alerts select on these: "killed for more than
 * four hours", "replicas disagree".
 */
public final class SourceStates {
  /** Every state a source can be in; each source has one series per state. */
  public static final List<String> STATES =
      List.of("accept", "reject", "quarantine", "throttle", "shadow");

  /**
   * The states in force, by source id, and when each last changed.
   *
   * @param stateBySource each value one of {@link #STATES}
   * @param changedAt by source id; a source missing here counts from {@code builtAt}
   * @param builtAt when the decisions were built
   */
  public record Snapshot(
      Map<String, String> stateBySource, Map<String, Instant> changedAt, Instant builtAt) {}

  private final MeterRegistry registry;
  private final Supplier<Snapshot> current;
  private final Map<String, Tracked> tracked = new HashMap<>();

  private static final class Tracked {
    volatile String state;
    volatile double changedAtSeconds;
    final List<Meter> meters = new ArrayList<>();
  }

  SourceStates(MeterRegistry registry, Supplier<Snapshot> current) {
    this.registry = registry;
    this.current = current;
  }

  /** Registers the series, brought up to date before every scrape. */
  public static SourceStates register(GateMetrics metrics, Supplier<Snapshot> current) {
    SourceStates states = new SourceStates(metrics.registry(), current);
    metrics.beforeScrape(states::sync);
    return states;
  }

  /** Brings the series in line with the current snapshot; cheap, safe from any thread. */
  public synchronized void sync() {
    Snapshot now = current.get();
    now.stateBySource()
        .forEach(
            (source, state) -> {
              Tracked t = tracked.computeIfAbsent(source, this::register);
              t.state = state;
              t.changedAtSeconds =
                  now.changedAt().getOrDefault(source, now.builtAt()).toEpochMilli() / 1000.0;
            });
    tracked
        .entrySet()
        .removeIf(
            e -> {
              if (now.stateBySource().containsKey(e.getKey())) {
                return false;
              }
              e.getValue().meters.forEach(registry::remove); // a removed source has no state
              return true;
            });
  }

  private Tracked register(String source) {
    Tracked t = new Tracked();
    for (String state : STATES) {
      t.meters.add(
          Gauge.builder("ordergate.source.state", t, x -> state.equals(x.state) ? 1 : 0)
              .description(
                  "1 for what this replica does with the source's writes right now, 0 otherwise")
              .tag("source", source)
              .tag("state", state)
              .register(registry));
    }
    t.meters.add(
        Gauge.builder("ordergate.source.state.changed.seconds", t, x -> x.changedAtSeconds)
            .description(
                "Unix time the source's state last changed on this replica (or it started)")
            .tag("source", source)
            .register(registry));
    return t;
  }
}
