package io.ordergate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GateMetricsTest {

  @Test
  void knownSourcesGetTheirCountersAtZeroBeforeAnyEvent() {
    GateMetrics metrics = new GateMetrics();
    metrics.beforeScrape(() -> metrics.knownSources(List.of("web", "perftest")));
    String text = metrics.scrape();
    assertThat(text)
        .contains("ordergate_requests_total{decision=\"forwarded\",source=\"perftest\"} 0.0")
        .contains("ordergate_quarantine_released_total{outcome=\"in_doubt\",source=\"web\"} 0.0")
        .contains("ordergate_cleanup_orders_total{result=\"cancelled\",source=\"perftest\"} 0.0")
        .contains("ordergate_quarantine_held_total{source=\"web\"} 0.0")
        .contains("ordergate_quarantine_orders_held{source=\"web\"} 0.0")
        .contains("ordergate_build_info{version=");
    // What a source has actually seen leaves the zeros out.
    assertThat(metrics.counts("web")).isEmpty();
    metrics.request("web", "forwarded", 1_000, 0);
    assertThat(metrics.counts("web")).containsExactly(Map.entry("forwarded", 1L));
  }

  @Test
  void aCountKeptElsewhereIsExportedAsACounter() {
    GateMetrics metrics = new GateMetrics();
    AtomicLong failed = new AtomicLong(3);
    metrics.functionCounter("ordergate.flags.failed.polls", "new", failed::get);
    assertThat(metrics.scrape())
        .contains("# TYPE ordergate_flags_failed_polls_total counter")
        .contains("ordergate_flags_failed_polls_total 3.0");
  }

  @Test
  void aCountKeptElsewhereSurvivesGarbageCollection() {
    GateMetrics metrics = new GateMetrics();
    AtomicLong failed = new AtomicLong(5);
    metrics.functionCounter("ordergate.flags.failed.polls", "new", failed::get);
    for (int i = 0; i < 3; i++) {
      System.gc(); // Micrometer holds the supplier weakly: before the fix this read 0
    }
    assertThat(metrics.scrape()).contains("ordergate_flags_failed_polls_total 5.0");
  }

  @Test
  void sourceStateIsOneForTheStateInForceWithTheTimeOfItsLastChange() {
    GateMetrics metrics = new GateMetrics();
    Map<String, String> states = new HashMap<>(Map.of("web", "accept", "perftest", "accept"));
    Map<String, Instant> changed = new HashMap<>(Map.of("web", Instant.ofEpochSecond(500)));
    SourceStates.register(
        metrics,
        () ->
            new SourceStates.Snapshot(
                Map.copyOf(states), Map.copyOf(changed), Instant.ofEpochSecond(1_000)));
    assertThat(metrics.scrape())
        .contains("ordergate_source_state{source=\"perftest\",state=\"accept\"} 1.0")
        .contains("ordergate_source_state{source=\"perftest\",state=\"reject\"} 0.0")
        .contains("ordergate_source_state{source=\"perftest\",state=\"shadow\"} 0.0")
        .contains("ordergate_source_state_changed_seconds{source=\"perftest\"} 1000.0")
        .contains("ordergate_source_state_changed_seconds{source=\"web\"} 500.0");

    states.put("perftest", "reject");
    changed.put("perftest", Instant.ofEpochSecond(2_000));
    assertThat(metrics.scrape())
        .contains("ordergate_source_state{source=\"perftest\",state=\"accept\"} 0.0")
        .contains("ordergate_source_state{source=\"perftest\",state=\"reject\"} 1.0")
        .contains("ordergate_source_state_changed_seconds{source=\"perftest\"} 2000.0");

    states.remove("perftest");
    assertThat(metrics.scrape()).doesNotContain("source=\"perftest\"").contains("source=\"web\"");
  }
}
