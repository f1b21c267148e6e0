package io.ordergate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed, validating view of the environment variables. Every failure names the variable, so a
 * misconfigured pod says exactly what to fix.
 */
public record Env(Map<String, String> vars) {

  public Env {
    vars = Map.copyOf(vars);
  }

  public static Env system() {
    return new Env(System.getenv());
  }

  public Optional<String> optional(String name) {
    String value = vars.get(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(value.trim());
  }

  public String string(String name, String defaultValue) {
    return optional(name).orElse(defaultValue);
  }

  public String required(String name, String meaning) {
    return optional(name).orElseThrow(() -> new ConfigException(name, "is required: " + meaning));
  }

  public int integer(String name, int defaultValue, int min, int max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    int value;
    try {
      value = Integer.parseInt(raw.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "must be a whole number, was '" + raw.get() + "'");
    }
    if (value < min || value > max) {
      throw new ConfigException(name, "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  public Duration millis(String name, long defaultMillis, long minMillis, long maxMillis) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return Duration.ofMillis(defaultMillis);
    }
    long value;
    try {
      value = Long.parseLong(raw.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "must be a number of milliseconds, was '" + raw.get() + "'");
    }
    if (value < minMillis || value > maxMillis) {
      throw new ConfigException(
          name, "must be between " + minMillis + " and " + maxMillis + " ms, was " + value);
    }
    return Duration.ofMillis(value);
  }

  /**
   * A duration written as {@code 24h}, {@code 90m}, {@code 30s}, {@code 7d} or ISO-8601 ({@code
   * PT24H}); a plain number is seconds.
   */
  public Duration duration(String name, Duration defaultValue, Duration min, Duration max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    Duration value = parseDuration(raw.get().trim());
    if (value == null) {
      throw new ConfigException(
          name, "must be a duration such as 24h, 90m, 30s, 7d or PT24H, was '" + raw.get() + "'");
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new ConfigException(name, "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  static Duration parseDuration(String s) {
    try {
      if (s.regionMatches(true, 0, "P", 0, 1)) {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      }
      if (s.matches("\\d{1,9}")) {
        return Duration.ofSeconds(Long.parseLong(s));
      }
      if (s.matches("\\d{1,9}[smhdSMHD]")) {
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (Character.toLowerCase(s.charAt(s.length() - 1))) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
    return null;
  }

  public String oneOf(String name, String defaultValue, Set<String> allowed) {
    String value = string(name, defaultValue).toLowerCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      throw new ConfigException(name, "must be one of " + allowed + ", was '" + value + "'");
    }
    return value;
  }

  public Optional<URI> httpUrl(String name) {
    return optional(name).map(raw -> parseHttpUrl(name, raw));
  }

  public URI requiredHttpUrl(String name, String meaning) {
    return parseHttpUrl(name, required(name, meaning));
  }

  static URI parseHttpUrl(String name, String raw) {
    try {
      URI uri = new URI(raw);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        throw new ConfigException(name, "must be an http(s) URL with a host, was '" + raw + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(name, "is not a valid URL: " + e.getMessage());
    }
  }
}
