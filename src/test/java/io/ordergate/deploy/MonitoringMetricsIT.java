package io.ordergate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.support.TestStack;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every metric the shipped dashboard and alert rules use is one a started gateway exports: scraped
 * from its /metrics after one request (the latency histogram appears with a source's first request;
 * everything else exists from the start).
 */
class MonitoringMetricsIT {

  @Test
  void theDashboardAndTheAlertsUseOnlyMetricsTheGatewayExports() {
    try (TestStack stack = TestStack.withFlagsFile(Map.of())) {
      assertThat(stack.gateway.order("web").statusCode()).isEqualTo(201);
      String scrape = stack.gateway.ops("/metrics").body();
      Set<String> exported = Monitoring.exported(scrape);

      Set<String> alerts = Monitoring.metricNames(Monitoring.ruleExpressions());
      Set<String> dashboard = Monitoring.metricNames(Monitoring.dashboardExpressions());
      assertThat(alerts).isNotEmpty();
      assertThat(dashboard).isNotEmpty();
      assertThat(exported).as("metrics the alert rules use").containsAll(alerts);
      assertThat(exported).as("metrics the dashboard uses").containsAll(dashboard);

      // The per-source series alerts select on exist for every known source before any event.
      assertThat(scrape)
          .contains("ordergate_source_state{source=\"perftest\",state=\"accept\"} 1")
          .contains("ordergate_requests_total{decision=\"forwarded\",source=\"perftest\"} 0")
          .contains("ordergate_cleanup_orders_total{result=\"cancelled\",source=\"perftest\"} 0")
          .contains("ordergate_quarantine_released_total{outcome=\"2xx\",source=\"perftest\"} 0")
          .containsPattern("ordergate_build_info\\{version=\"[^\"]+\"\\} 1");
    }
  }
}
