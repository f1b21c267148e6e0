package io.ordergate.decision;

/**
 * The precomputed decision for one source, with the reason shown to clients and operators.
 *
 * @param ratePerSecond the write rate allowed under {@link Verdict#THROTTLE}; 0 for every other
 *     verdict
 * @param unleash the source's own flag as Unleash said when the table was built; null when the
 *     decision did not look at it (global flag off, unknown source)
 * @param overrule the intervention that decided instead of Unleash, or null
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
    FlagState unleash,
    Overrule overrule,
    Shadow shadow) {

  public SourceDecision(
      String sourceId, String flagName, Verdict verdict, String reason, String variant) {
    this(sourceId, flagName, verdict, reason, variant, 0);
  }

  public SourceDecision(
      String sourceId,
      String flagName,
      Verdict verdict,
      String reason,
      String variant,
      int ratePerSecond) {
    this(sourceId, flagName, verdict, reason, variant, ratePerSecond, null, null, null);
  }

  /** A rehearsal decision: accepted, with what the shadow action would have done. */
  public SourceDecision(
      String sourceId,
      String flagName,
      Verdict verdict,
      String reason,
      String variant,
      int ratePerSecond,
      Shadow shadow) {
    this(sourceId, flagName, verdict, reason, variant, ratePerSecond, null, null, shadow);
  }

  /**
   * A decision that knows the Unleash state it came from, or the intervention that overruled it.
   */
  public SourceDecision(
      String sourceId,
      String flagName,
      Verdict verdict,
      String reason,
      String variant,
      int ratePerSecond,
      FlagState unleash,
      Overrule overrule) {
    this(sourceId, flagName, verdict, reason, variant, ratePerSecond, unleash, overrule, null);
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

  SourceDecision withUnleash(FlagState state) {
    return new SourceDecision(
        sourceId, flagName, verdict, reason, variant, ratePerSecond, state, overrule, shadow);
  }
}
