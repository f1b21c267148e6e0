package io.ordergate.trip;

/**
 * A source's trip settings.
 *
 * @param ratePerSecond trip when the fleet's writes per second exceed this; with a baseline it is
 *     the floor under the learned limit; 0 for none
 * @param baseline trip at this multiple of the source's own average rate over the last {@link
 *     TripRule#WINDOW} (never below the floor); 0 for none
 */
public record TripLimit(int ratePerSecond, double baseline) {
  public static final int MAX_RATE = 1_000_000;
  public static final double MAX_BASELINE = 1000;

  /** The floor of a learned baseline without a trip rate: quiet sources do not trip on noise. */
  public static final int DEFAULT_FLOOR = 10;

  public static final TripLimit NONE = new TripLimit(0, 0);

  public TripLimit {
    if (ratePerSecond < 0 || ratePerSecond > MAX_RATE) {
      throw new IllegalArgumentException(
          "trip rate must be between 1 and " + MAX_RATE + " writes/s, was " + ratePerSecond);
    }
    if (baseline != 0 && (baseline < 1 || baseline > MAX_BASELINE || Double.isNaN(baseline))) {
      throw new IllegalArgumentException(
          "trip baseline must be between 1 and " + (int) MAX_BASELINE + ", was " + baseline);
    }
  }

  public boolean trips() {
    return ratePerSecond > 0 || baseline > 0;
  }

  /** The limit given the source's recent average rate. */
  double limit(double recentAverage) {
    if (baseline == 0) {
      return ratePerSecond;
    }
    int floor = ratePerSecond > 0 ? ratePerSecond : DEFAULT_FLOOR;
    return Math.max(floor, baseline * recentAverage);
  }

  /** "100 writes/s", "3x its 10-minute average, at least 100 writes/s", "off". */
  public String describe() {
    if (!trips()) {
      return "off";
    }
    if (baseline == 0) {
      return ratePerSecond + " writes/s";
    }
    return baseline
        + "x its 10-minute average, at least "
        + (ratePerSecond > 0 ? ratePerSecond : DEFAULT_FLOOR)
        + " writes/s";
  }
}
