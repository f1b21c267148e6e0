package io.ordergate.fence;

import io.ordergate.source.Source;

/**
 * Refuses traffic that declares, or is registered for, another environment than the gateway's own.
 * A test rig pointed at production by mistake still says where it runs, and is turned away here.
 */
public final class EnvironmentFence {
  public static final String HEADER = "X-Upstream-Environment";

  private final String environment;

  public EnvironmentFence(String environment) {
    this.environment = environment;
  }

  public String environment() {
    return environment;
  }

  /** Why the request must be refused, or null when it may pass. */
  public String violation(String declared, Source source) {
    if (declared == null || declared.isEmpty()) {
      return "missing " + HEADER + " header; this gateway serves environment '" + environment + "'";
    }
    if (!declared.equals(environment)) {
      return "request declares environment '"
          + truncate(declared)
          + "' but this gateway serves '"
          + environment
          + "'";
    }
    if (!source.environment().equals(environment)) {
      return "source '"
          + source.id()
          + "' is registered for environment '"
          + source.environment()
          + "' but this gateway serves '"
          + environment
          + "'";
    }
    return null;
  }

  private static String truncate(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
