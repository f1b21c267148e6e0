package io.ordergate.config;

/** How held orders are released: the default pace, for the gateway's ops API and the CLI alike. */
public record QuarantineSettings(int releaseRatePerSecond) {

  public static final String RELEASE_RATE = "ORDERGATE_QUARANTINE_RELEASE_RATE";
  public static final int MAX_RATE = 10_000;

  public QuarantineSettings {
    if (releaseRatePerSecond < 1 || releaseRatePerSecond > MAX_RATE) {
      throw new ConfigException(RELEASE_RATE, "must be between 1 and " + MAX_RATE);
    }
  }

  public static QuarantineSettings from(Env env) {
    return new QuarantineSettings(env.integer(RELEASE_RATE, 20, 1, MAX_RATE));
  }
}
