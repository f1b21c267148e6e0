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

  public boolean accepts() {
    return verdict == Verdict.ACCEPT;
  }
}
