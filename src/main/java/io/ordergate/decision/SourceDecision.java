package io.ordergate.decision;

/**
 * The precomputed decision for one source, with the reason shown to clients and operators.
 *
 * @param ratePerSecond the write rate allowed under {@link Verdict#THROTTLE}; 0 for every other
 *     verdict
 * @param shadow what would happen to the source's writes under a rehearsal (counted and audited,
 *     not enforced), or null
 */
public record SourceDecision(
    String sourceId,
    String flagName,
    Verdict verdict,
    String reason,
    String variant,
    int ratePerSecond,
    Shadow shadow) {

  public SourceDecision(
      String sourceId, String flagName, Verdict verdict, String reason, String variant) {
    this(sourceId, flagName, verdict, reason, variant, 0, null);
  }

  public SourceDecision(
      String sourceId,
      String flagName,
      Verdict verdict,
      String reason,
      String variant,
      int ratePerSecond) {
    this(sourceId, flagName, verdict, reason, variant, ratePerSecond, null);
  }

  /**
   * The state name metrics and dashboards show: {@code accept}, {@code reject}, {@code quarantine},
   * {@code throttle}, or {@code shadow} for an accepted source whose variant is {@code shadow}.
   */
  public String state() {
    return verdict == Verdict.ACCEPT && "shadow".equals(variant)
        ? "shadow"
        : verdict.name().toLowerCase(java.util.Locale.ROOT);
  }

  public boolean accepts() {
    return verdict == Verdict.ACCEPT;
  }
}
