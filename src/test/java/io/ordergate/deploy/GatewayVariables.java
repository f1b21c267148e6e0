package io.ordergate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variables the gateway reads, taken from its code rather than a list kept by hand:
 * every {@code "ORDERGATE_*"} / {@code "UNLEASH_*"} string literal in the main sources (settings
 * are read in the config package as a rule, but a new one elsewhere is found as well), plus the
 * {@code ${…}} references in the logging configuration. The demo package is left out: it also names
 * variables of the local Unleash server it starts. A teammate who adds a setting is covered without
 * touching this test.
 */
final class GatewayVariables {
  static final Path MAIN = Path.of("src", "main", "java", "io", "ordergate");
  static final Path DEMO = MAIN.resolve("demo");
  static final Path LOGGING = Path.of("src", "main", "resources", "logback.xml");
  static final String WHERE =
      "string literals in " + MAIN + " outside " + DEMO + ", and " + LOGGING;
  private static final Pattern LITERAL = Pattern.compile("\"((?:ORDERGATE|UNLEASH)_[A-Z0-9_]+)\"");
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{((?:ORDERGATE|UNLEASH)_[A-Z0-9_]+)(?::-[^}]*)?}");

  private GatewayVariables() {}

  static Set<String> read() {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      files
          .filter(f -> f.toString().endsWith(".java") && !f.startsWith(DEMO))
          .forEach(f -> collect(f, LITERAL, names));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    collect(LOGGING, REFERENCE, names);
    return names;
  }

  private static void collect(Path file, Pattern pattern, Set<String> into) {
    try {
      Matcher m = pattern.matcher(Files.readString(file));
      while (m.find()) {
        into.add(m.group(1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
