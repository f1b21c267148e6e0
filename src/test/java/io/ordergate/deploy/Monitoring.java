package io.ordergate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files under monitoring/ and the metric names they use: the one list that the check against a
 * running gateway's /metrics works from. A dashboard panel or alert that names a metric the gateway
 * does not export (a typo, a renamed meter, one another change has not landed yet) fails that
 * check.
 */
final class Monitoring {
  static final Path DIR = Path.of("monitoring");
  static final Path RULES = DIR.resolve("order-gate-alerts.yaml");
  static final Path RULE_TESTS = DIR.resolve("order-gate-alerts.test.yaml");
  static final Path DASHBOARD = DIR.resolve("order-gate-dashboard.json");

  /** Metric names are ours, resilience4j's or the JVM's; PromQL functions never start so. */
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:ordergate|resilience4j|jvm|process)_[a-z0-9_]+)\\b");

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  private Monitoring() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> ruleFile() {
    try {
      return YAML.readValue(RULES.toFile(), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode dashboard() {
    try {
      return JSON.readTree(DASHBOARD.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean sameYaml(Object a, Object b) {
    return JSON.valueToTree(a).equals(JSON.valueToTree(b));
  }

  /** Every alert expression of the rule file. */
  static List<String> ruleExpressions() {
    List<String> out = new ArrayList<>();
    for (JsonNode group : JSON.valueToTree(ruleFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        out.add(rule.path("expr").asText());
      }
    }
    return out;
  }

  /** Every query of the dashboard: panel targets and template variables. */
  static List<String> dashboardExpressions() {
    List<String> out = new ArrayList<>();
    dashboard().findValues("expr").forEach(e -> out.add(e.asText()));
    for (JsonNode variable : dashboard().path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        out.add(variable.path("definition").asText());
      }
    }
    return out;
  }

  /** The metric names in these expressions. */
  static Set<String> metricNames(List<String> expressions) {
    Set<String> names = new TreeSet<>();
    for (String expr : expressions) {
      Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** Sample names in a Prometheus text exposition: {@code name{labels} value} or {@code name v}. */
  static Set<String> exported(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = line.indexOf('{');
      if (end < 0) {
        end = line.indexOf(' ');
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
