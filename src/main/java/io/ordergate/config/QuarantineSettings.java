package io.ordergate.config;

import java.util.Optional;

/**
 * How orders are held and released, for the gateway's ops API and the CLI alike.
 *
 * @param releaseRatePerSecond {@code ORDERGATE_QUARANTINE_RELEASE_RATE}: the default pace of a
 *     release
 * @param holdRatePerSecond {@code ORDERGATE_QUARANTINE_HOLD_RATE}: held orders a source may store
 *     per second on each replica; its writes beyond it are refused (429) without touching
 *     PostgreSQL, so a held flood costs the database a bounded sample. 0 ({@code off}): no cap
 */
public record QuarantineSettings(int releaseRatePerSecond, int holdRatePerSecond) {

  public static final String RELEASE_RATE = "ORDERGATE_QUARANTINE_RELEASE_RATE";
  public static final String HOLD_RATE = "ORDERGATE_QUARANTINE_HOLD_RATE";
  public static final int MAX_RATE = 10_000;

  /**
   * Per source and replica: a tripped 10x flood (1,500 orders/s in the demo) keeps a sample of this
   * size a second to inspect or release, while a held legitimate source of ordinary size is not
   * capped.
   */
  public static final int DEFAULT_HOLD_RATE = 200;

  public QuarantineSettings {
    if (releaseRatePerSecond < 1 || releaseRatePerSecond > MAX_RATE) {
      throw new ConfigException(RELEASE_RATE, "must be between 1 and " + MAX_RATE);
    }
    if (holdRatePerSecond < 0 || holdRatePerSecond > MAX_RATE) {
      throw new ConfigException(HOLD_RATE, "must be off or between 1 and " + MAX_RATE);
    }
  }

  public QuarantineSettings(int releaseRatePerSecond) {
    this(releaseRatePerSecond, DEFAULT_HOLD_RATE);
  }

  /** Whether held orders are capped per source. */
  public boolean holdRateCapped() {
    return holdRatePerSecond > 0;
  }

  public static QuarantineSettings from(Env env) {
    return new QuarantineSettings(env.integer(RELEASE_RATE, 20, 1, MAX_RATE), holdRate(env));
  }

  private static int holdRate(Env env) {
    Optional<String> raw = env.optional(HOLD_RATE);
    if (raw.isEmpty()) {
      return DEFAULT_HOLD_RATE;
    }
    if (raw.get().equalsIgnoreCase("off")) {
      return 0;
    }
    try {
      int rate = Integer.parseInt(raw.get());
      if (rate >= 1 && rate <= MAX_RATE) {
        return rate;
      }
    } catch (NumberFormatException e) {
      // named below
    }
    throw new ConfigException(
        HOLD_RATE,
        "must be off or held orders per second per source between 1 and "
            + MAX_RATE
            + ", was '"
            + raw.get()
            + "'");
  }
}
