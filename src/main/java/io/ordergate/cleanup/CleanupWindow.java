package io.ordergate.cleanup;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One source's orders received in {@code [since, until)}: what a clean-up may touch, and nothing
 * else.
 */
public record CleanupWindow(String source, Instant since, Instant until) {

  public CleanupWindow {
    if (source == null || !source.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
      throw new IllegalArgumentException(
          "source must be a source id (lower-case letters, digits, '-' or '_'), was '"
              + source
              + "'");
    }
    if (since == null || until == null) {
      throw new IllegalArgumentException("a window needs both since and until");
    }
    if (!since.isBefore(until)) {
      throw new IllegalArgumentException(
          "since (" + since + ") must be before until (" + until + ")");
    }
    // PostgreSQL keeps microseconds: the window stored for a run must be the window asked for.
    since = since.truncatedTo(ChronoUnit.MICROS);
    until = until.truncatedTo(ChronoUnit.MICROS);
  }
}
