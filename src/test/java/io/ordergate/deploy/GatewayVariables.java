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
 * every {@code ORDERGATE_*} / {@code UNLEASH_*} string literal in the config package (where every
 * setting is read, DESIGN.md §6), plus the {@code ${…}} references in the logging configuration. A
 * teammate who adds a setting there is covered without touching this test.
 */
final class GatewayVariables {
  static final Path CONFIG_PACKAGE = Path.of("src", "main", "java", "io", "ordergate", "config");
  static final Path LOGGING = Path.of("src", "main", "resources", "logback.xml");
  private static final Pattern LITERAL = Pattern.compile("\"((?:ORDERGATE|UNLEASH)_[A-Z0-9_]+)\"");
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{((?:ORDERGATE|UNLEASH)_[A-Z0-9_]+)(?::-[^}]*)?}");

  private GatewayVariables() {}

  static Set<String> read() {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(CONFIG_PACKAGE)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> collect(f, LITERAL, names));
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
