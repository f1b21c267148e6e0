package io.ordergate.traffic;

import java.util.Locale;

/**
 * Refuses paths that a backend could resolve outside {@code /orders}, or read differently from the
 * gateway: dot segments (plain, percent-encoded, or with {@code ;parameters} as servlet containers
 * strip them), encoded slashes, backslashes and percent signs, overlong UTF-8 and control
 * characters. The gateway forwards the raw path, so it must not let {@code /orders/../admin}
 * through.
 */
final class Paths {
  private Paths() {}

  /** Why the path is refused, or null. */
  static String violation(String rawPath) {
    for (int i = 0; i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "control characters are not allowed in the path";
      }
      if (c == '\\') {
        return "backslashes are not allowed in the path";
      }
    }
    if (rawPath.indexOf('%') >= 0) {
      String lower = rawPath.toLowerCase(Locale.ROOT);
      if (lower.contains("%2f") || lower.contains("%5c")) {
        return "encoded slashes are not allowed in the path";
      }
      if (lower.contains("%2e")
          || lower.contains("%25")
          || lower.contains("%3b")
          || lower.contains("%c0")
          || lower.contains("%c1")
          || lower.contains("%e0%80")) {
        return "encoded dots, semicolons and percent signs, and overlong UTF-8, are not allowed in the path";
      }
      if (lower.contains("%00")) {
        return "control characters are not allowed in the path";
      }
    }
    int start = 0;
    while (start <= rawPath.length()) {
      int end = rawPath.indexOf('/', start);
      if (end < 0) {
        end = rawPath.length();
      }
      int semicolon = rawPath.indexOf(';', start);
      int nameEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
      int length = nameEnd - start;
      if ((length == 1 && rawPath.charAt(start) == '.')
          || (length == 2 && rawPath.startsWith("..", start))) {
        return "dot segments ('.' or '..') are not allowed in the path";
      }
      start = end + 1;
    }
    return null;
  }
}
