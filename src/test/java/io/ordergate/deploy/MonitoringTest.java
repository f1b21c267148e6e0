package io.ordergate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the dashboard under monitoring/, checked by Prometheus's own promtool (Debian
 * package {@code prometheus}; .ci/run installs it). Without promtool the promtool checks are
 * skipped on a workstation, and fail in CI (environment variable {@code CI} set).
 */
class MonitoringTest {

  @Test
  void promtoolAcceptsTheRules() {
    Run run = promtool("check", "rules", Monitoring.RULES.toString());
    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).contains("SUCCESS");
  }

  @Test
  void theAlertUnitTestsPass() {
    Run run = promtool("test", "rules", Monitoring.RULE_TESTS.toString());
    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).contains("SUCCESS");
  }

  @Test
  void everyAlertHasAUnitTestThatFiresIt() throws IOException {
    JsonNode tests = new YAMLMapper().readTree(Monitoring.RULE_TESTS.toFile());
    Set<String> fired = new HashSet<>();
    for (JsonNode test : tests.path("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        if (!check.path("exp_alerts").isEmpty()) {
          fired.add(check.path("alertname").asText());
        }
      }
    }
    List<String> alerts = new ArrayList<>();
    new ObjectMapper()
        .valueToTree(Monitoring.ruleFile())
        .path("groups")
        .forEach(g -> g.path("rules").forEach(r -> alerts.add(r.path("alert").asText())));
    assertThat(alerts).isNotEmpty().allSatisfy(a -> assertThat(fired).as(a).contains(a));
  }

  @Test
  void theDashboardIsAnImportableGrafanaDashboard() {
    JsonNode dashboard = Monitoring.dashboard();
    assertThat(dashboard.path("uid").asText()).isEqualTo("order-gate");
    assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
    assertThat(dashboard.has("id")).as("no instance id: Grafana assigns one on import").isFalse();
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      String title = panel.path("title").asText();
      assertThat(ids.add(panel.path("id").asInt())).as("unique id: " + title).isTrue();
      JsonNode grid = panel.path("gridPos");
      assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(title).isLessThanOrEqualTo(24);
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("datasource").path("uid").asText())
          .as("%s queries the dashboard's data source variable", title)
          .isEqualTo("${datasource}");
      assertThat(panel.path("targets")).as(title).isNotEmpty();
      panel
          .path("targets")
          .forEach(t -> assertThat(t.path("expr").asText()).as(title).isNotBlank());
    }
    assertThat(Monitoring.metricNames(Monitoring.dashboardExpressions()))
        .contains(
            "ordergate_requests_total",
            "ordergate_source_state",
            "ordergate_flags_age_seconds",
            "ordergate_audit_buffer_depth",
            "resilience4j_circuitbreaker_state",
            "ordergate_quarantine_orders_held",
            "ordergate_cleanup_pending");
  }

  /** What promtool printed and its exit code. */
  record Run(int exit, String out) {}

  static Run promtool(String... args) {
    Optional<Path> promtool = onPath("promtool");
    if (promtool.isEmpty()) {
      String why =
          "promtool is not installed (Debian: apt-get install prometheus; .ci/run installs it)";
      if (System.getenv("CI") != null) {
        throw new AssertionError(why + ", and CI must check the alert rules");
      }
      Assumptions.abort(why + "; skipped outside CI");
    }
    List<String> command = new ArrayList<>(List.of(promtool.get().toString()));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("promtool did not finish in 120 s: " + out);
      }
      return new Run(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Path> onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
