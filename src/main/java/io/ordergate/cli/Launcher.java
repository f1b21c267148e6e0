package io.ordergate.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How to start this program again, for the commands the CLI prints for the operator to copy (resume
 * a clean-up, run it for real): {@code java -jar <the jar this process runs from>}, relative to the
 * working directory when it lies below it.
 */
final class Launcher {
  static final String FALLBACK = "java -jar order-gate.jar";

  private Launcher() {}

  static String command() {
    try {
      var source = Launcher.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return FALLBACK;
      }
      Path jar = Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
      if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
        return FALLBACK;
      }
      Path cwd = Path.of("").toAbsolutePath().normalize();
      String shown = jar.startsWith(cwd) ? cwd.relativize(jar).toString() : jar.toString();
      return "java -jar " + quote(shown);
    } catch (RuntimeException | java.net.URISyntaxException e) {
      return FALLBACK;
    }
  }

  /**
   * The argument as a POSIX shell reads it back: as is when that is safe, else in single quotes.
   */
  static String quote(String arg) {
    return arg.matches("[A-Za-z0-9_./:@+,=-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }
}
