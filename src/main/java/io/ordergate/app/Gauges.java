package io.ordergate.app;

import io.ordergate.cleanup.Cleanups;
import io.ordergate.decision.DecisionTable;
import io.ordergate.decision.Decisions;
import io.ordergate.decision.Verdict;
import io.ordergate.flags.UnleashFlags;
import io.ordergate.intervention.Interventions;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.metrics.SourceStates;
import io.ordergate.ops.Readiness;
import io.ordergate.source.Source;
import io.ordergate.source.SourceRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The gauges of a running gateway: read from its parts at each scrape. */
final class Gauges {
  private Gauges() {}

  static void register(
      GateMetrics metrics,
      UnleashFlags flags,
      Decisions decisions,
      SourceRegistry registry,
      Readiness readiness,
      Cleanups cleanups,
      Clock clock) {
    SourceStates.register(
        metrics,
        () -> {
          DecisionTable table = decisions.current();
          Map<String, String> states = new HashMap<>();
          Map<String, Instant> changed = new HashMap<>();
          table
              .bySource()
              .forEach(
                  (id, d) -> {
                    states.put(id, d.state());
                    Instant at = decisions.changedAt(id);
                    if (at != null) {
                      changed.put(id, at);
                    }
                  });
          return new SourceStates.Snapshot(states, changed, table.builtAt());
        });
    // Counters at 0 for every registered source, so that alerts see 0 rather than no series.
    metrics.beforeScrape(
        () -> metrics.knownSources(registry.all().stream().map(Source::id).toList()));
    metrics.gauge(
        "ordergate.flags.age.seconds",
        "Seconds since the flags in force were last confirmed current",
        () -> flags.status().age(clock.instant()).toMillis() / 1000.0);
    metrics.gauge(
        "ordergate.flags.revision",
        "Old name of ordergate_decisions_revision, kept for existing dashboards",
        () -> decisions.current().revision());
    metrics.gauge(
        "ordergate.flags.reachable",
        "1 when the last flag poll succeeded",
        () -> flags.status().reachable() ? 1 : 0);
    // Was the gauge ordergate_flags_failed_polls; the Prometheus client cannot export a gauge
    // beside a counter of the same family, so the count is now only the counter.
    metrics.functionCounter(
        "ordergate.flags.failed.polls",
        "Flag polls that failed since start",
        () -> flags.status().failedPolls());
    metrics.gauge(
        "ordergate.sources.registered", "Sources in the registry", () -> registry.all().size());
    for (Verdict verdict : Verdict.values()) {
      metrics.gauge(
          "ordergate.sources.verdict",
          "Sources by what currently happens to their writes",
          "verdict",
          verdict.name().toLowerCase(Locale.ROOT),
          () ->
              decisions.current().bySource().values().stream()
                  .filter(d -> d.verdict() == verdict)
                  .count());
    }
    metrics.gauge(
        "ordergate.database.up",
        "1 when PostgreSQL answers (on the control plane's pool)",
        () -> readiness.databaseUp() ? 1 : 0);
    metrics.gauge(
        "ordergate.database.request.pool.up",
        "1 when the request path's pool gave a connection in time at the last check (0 while a"
            + " flood of holds exhausts it)",
        () -> readiness.requestPoolUp() ? 1 : 0);
    metrics.gauge("ordergate.ready", "1 when /ready answers 200", () -> readiness.ready() ? 1 : 0);
    metrics.gauge(
        "ordergate.cleanup.pending",
        "Orders the clean-ups running in this process still have to send",
        () -> cleanups.pending());
  }

  static void interventions(GateMetrics metrics, Decisions decisions, Interventions interventions) {
    metrics.gauge(
        "ordergate.decisions.revision",
        "Decision revision: increases with every change of a decision (flag, intervention, source registry)",
        () -> decisions.current().revision());
    metrics.gauge(
        "ordergate.interventions.in.force",
        "Interventions this replica enforces instead of what Unleash says",
        () -> decisions.overrules().size());
    metrics.gauge(
        "ordergate.interventions.applied.last",
        "Id of the latest intervention this replica applied",
        interventions::lastApplied);
  }
}
