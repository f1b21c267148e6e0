package io.ordergate.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A simulation's own figures, one flat JSON object and a one-row CSV, written beside this run's
 * Gatling report ({@code target/gatling/<simulation>-<time>/<simulation>-summary.json}) and, with
 * {@code -DsummaryFile=PATH}, also to that file (scripts read it from there), and printed.
 */
final class Summary {
  private final String name;
  private final Map<String, Object> values = new LinkedHashMap<>();

  /**
   * @param name the simulation's name in lower case, as Gatling names its report directory
   */
  Summary(String name) {
    this.name = name;
  }

  Summary put(String key, Object value) {
    values.put(key, value);
    return this;
  }

  Object get(String key) {
    return values.get(key);
  }

  /**
   * count, p50 and p99 of the samples, as {@code <prefix>_count}, {@code _p50Ms}, {@code _p99Ms}.
   */
  Summary latency(String prefix, Samples samples) {
    return put(prefix + "_count", samples.count())
        .put(prefix + "_p50Ms", samples.percentile(50))
        .put(prefix + "_p99Ms", samples.percentile(99));
  }

  void write() {
    StringBuilder json = new StringBuilder("{\n");
    StringBuilder header = new StringBuilder();
    StringBuilder row = new StringBuilder();
    values.forEach(
        (k, v) -> {
          json.append(json.length() > 2 ? ",\n" : "")
              .append("  \"")
              .append(k)
              .append("\": ")
              .append(jsonValue(v));
          header.append(header.length() > 0 ? "," : "").append(k);
          row.append(row.length() > 0 ? "," : "").append(csvValue(v));
        });
    json.append("\n}\n");
    Path dir = reportDir();
    Path file = dir.resolve(name + "-summary.json");
    try {
      Files.createDirectories(dir);
      Files.writeString(file, json);
      Files.writeString(dir.resolve(name + "-summary.csv"), header + "\n" + row + "\n");
      String extra = Params.string("summaryFile", "");
      if (!extra.isEmpty()) {
        Path copy = Path.of(extra).toAbsolutePath();
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, json);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("[" + name + "] summary (" + file + "):");
    System.out.print(json);
  }

  private static String jsonValue(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return String.valueOf(v);
    }
    return "\"" + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String csvValue(Object v) {
    if (v == null) {
      return "";
    }
    String s = v.toString();
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /**
   * This run's report directory (Gatling creates it when the run starts), else the results folder.
   */
  private Path reportDir() {
    Path results = Path.of(Params.string("resultsDir", "target/gatling"));
    try (Stream<Path> dirs = Files.list(results)) {
      return dirs.filter(Files::isDirectory)
          .filter(p -> p.getFileName().toString().startsWith(name + "-"))
          .max(Comparator.comparing(p -> p.toFile().lastModified()))
          .orElse(results);
    } catch (IOException e) {
      return results;
    }
  }
}
