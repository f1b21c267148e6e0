package io.ordergate.traffic;

import java.util.Locale;

/**
 * Refuses paths that a backend could resolve outside {@code /orders}: dot segments, plain or
 * percent-encoded, and encoded slashes or backslashes. The gateway forwards the raw path, so it must
 * not let {@code /orders/../admin} through.
 */
final class Paths {
  private Paths() {}

  /** Why the path is refused, or null. */
  static String violation(String rawPath) {
    if (rawPath.indexOf('%') >= 0) {
      String lower = rawPath.toLowerCase(Locale.ROOT);
      if (lower.contains("%2f") || lower.contains("%5c")) {
        return "encoded slashes are not allowed in the path";
      }
      if (lower.contains("%2e")) {
        return "encoded dots are not allowed in the path";
      }
    }
    if (rawPath.indexOf('\\') >= 0) {
      return "backslashes are not allowed in the path";
    }
    int start = 0;
    while (start <= rawPath.length()) {
      int end = rawPath.indexOf('/', start);
      if (end < 0) {
        end = rawPath.length();
      }
      int length = end - start;
      if ((length == 1 && rawPath.charAt(start) == '.') || (length == 2 && rawPath.startsWith("..", start))) {
        return "dot segments ('.' or '..') are not allowed in the path";
      }
      start = end + 1;
    }
    return null;
  }
}
