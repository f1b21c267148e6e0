package io.ordergate.cleanup;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the times an operator types: an instant ({@code 2026-11-28T10:00:00Z} or with an offset), a
 * local date-time or date (taken as UTC, and said so), a duration meaning "that long ago" ({@code
 * 2h}, {@code 30m}, {@code 1h30m}, {@code 2d}), or {@code now}.
 */
public final class TimeArgs {
  private static final Pattern RELATIVE =
      Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  private TimeArgs() {}

  /** A resolved time and how it was read, e.g. "2h ago" or "local time, taken as UTC". */
  public record Resolved(Instant instant, String how) {}

  public static Resolved parse(String name, String text, Instant now) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException(name + " is empty");
    }
    if (t.equalsIgnoreCase("now")) {
      return new Resolved(now, "now");
    }
    Matcher m = RELATIVE.matcher(t.toLowerCase(java.util.Locale.ROOT));
    if (m.matches() && !t.isEmpty() && Character.isDigit(t.charAt(0))) {
      try {
        Duration ago =
            Duration.ofDays(group(m, 1))
                .plusHours(group(m, 2))
                .plusMinutes(group(m, 3))
                .plusSeconds(group(m, 4));
        return new Resolved(now.minus(ago), t + " ago");
      } catch (ArithmeticException | java.time.DateTimeException | NumberFormatException e) {
        throw new IllegalArgumentException(name + " '" + text + "' is too far back");
      }
    }
    try {
      return new Resolved(OffsetDateTime.parse(t).toInstant(), "as given");
    } catch (DateTimeParseException ignored) {
      // not an instant with an offset; try the local forms
    }
    String local = t.replace(' ', 'T');
    try {
      return new Resolved(
          LocalDateTime.parse(local).toInstant(ZoneOffset.UTC), "local time, taken as UTC");
    } catch (DateTimeParseException ignored) {
      // not a local date-time either
    }
    try {
      return new Resolved(
          LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC),
          "a date, taken as 00:00 UTC");
    } catch (DateTimeParseException ignored) {
      throw new IllegalArgumentException(
          name
              + " '"
              + text
              + "' is not a time: use an instant such as 2026-11-28T10:00:00Z, "
              + "a UTC date-time such as 2026-11-28T10:00, or a duration ago such as 2h, 30m, 1h30m, 2d");
    }
  }

  private static long group(Matcher m, int i) {
    return m.group(i) == null ? 0 : Long.parseLong(m.group(i));
  }
}
