package io.ordergate.config;

/**
 * Settings of the clean-up, shared by {@code serve} (ops API) and the {@code cleanup} command.
 *
 * @param ratePerSecond default pace of cancel requests; a run may ask for another
 */
public record CleanupSettings(CancelRequest cancelRequest, int ratePerSecond) {
  public static final String RATE = "ORDERGATE_CLEANUP_RATE";
  public static final int MAX_RATE = 10_000;

  public static CleanupSettings from(Env env) {
    return new CleanupSettings(
        CancelRequest.parse(env.string(CancelRequest.VARIABLE, CancelRequest.DEFAULT)),
        env.integer(RATE, 50, 1, MAX_RATE));
  }
}
