package io.ordergate.decision;

/**
 * An intervention in force on one source, as the decision table applies it: it overrides what
 * Unleash says for that source until the source's flag changes in Unleash.
 *
 * @param interventionId the intervention's id (table {@code interventions})
 * @param verdict what happens to the source's writes; null leaves the Unleash decision (shadow)
 * @param ratePerSecond the rate under {@link Verdict#THROTTLE}, else 0
 * @param summary for operators, e.g. "intervention #12: kill by alice (INC-42)"
 * @param baseline the source's flag as Unleash said when the intervention was applied; null while
 *     the flags in force come from a bootstrap or backup file (the first state seen from Unleash
 *     becomes the baseline)
 * @param unleashRevision Unleash's revision (its latest event id) once the change made with the
 *     intervention was in, or 0 when unknown or none was made: a flag state from an older revision
 *     predates the intervention's own change, so it cannot be "the next change" that ends it
 */
public record Overrule(
    long interventionId,
    Verdict verdict,
    int ratePerSecond,
    String summary,
    FlagState baseline,
    long unleashRevision) {

  public Overrule(
      long interventionId, Verdict verdict, int ratePerSecond, String summary, FlagState baseline) {
    this(interventionId, verdict, ratePerSecond, summary, baseline, 0);
  }

  public Overrule {
    if (interventionId <= 0) {
      throw new IllegalArgumentException("interventionId must be positive");
    }
    if (unleashRevision < 0) {
      throw new IllegalArgumentException("unleashRevision must not be negative");
    }
    if (ratePerSecond < 0) {
      throw new IllegalArgumentException("ratePerSecond must not be negative");
    }
  }

  Overrule withBaseline(FlagState state) {
    return new Overrule(interventionId, verdict, ratePerSecond, summary, state, unleashRevision);
  }
}
