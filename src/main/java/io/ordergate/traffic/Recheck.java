package io.ordergate.traffic;

import io.ordergate.decision.DecisionTable;
import io.ordergate.decision.SourceDecision;
import io.ordergate.problem.Failure;

/**
 * The source's decision taken again when a write is dispatched, so that no write goes out under a
 * decision older than the one in force at that moment. Admission decides at the headers; a body
 * that takes a minute to arrive, or an Idempotency-Key check that waits on PostgreSQL, would
 * otherwise carry the old decision past a kill made in between.
 */
final class Recheck {
  /**
   * What happens to the write now.
   *
   * @param hold store it in quarantine instead of forwarding it
   * @param refusal why it is refused now, or null
   * @param revision of the decision table it is dispatched under
   */
  record Verdict(boolean hold, Refusal refusal, long revision) {}

  private Recheck() {}

  /**
   * @param now the decisions in force at dispatch
   * @param hold what admission decided (quarantine or not)
   * @param admittedRevision the revision admission judged by
   */
  static Verdict at(
      DecisionTable now,
      String source,
      boolean hold,
      long admittedRevision,
      Admission.RateLimits rateLimits) {
    return at(now, source, hold, admittedRevision, rateLimits, HoldRate.NONE);
  }

  /**
   * @param holdRate the cap on held orders: a write that becomes a hold only now takes its place
   *     under it here (one admitted as a hold already took it)
   */
  static Verdict at(
      DecisionTable now,
      String source,
      boolean hold,
      long admittedRevision,
      Admission.RateLimits rateLimits,
      HoldRate holdRate) {
    if (now.revision() == admittedRevision) {
      return new Verdict(hold, null, admittedRevision);
    }
    SourceDecision decision = now.forSource(source);
    String changed =
        " (the decision changed while the request was in progress: revision "
            + admittedRevision
            + " at its headers, "
            + now.revision()
            + " at dispatch)";
    return switch (decision.verdict()) {
      case REJECT ->
          new Verdict(
              false,
              Refusal.of(Failure.SOURCE_DISABLED, decision.reason() + changed, source),
              now.revision());
      case THROTTLE ->
          rateLimits.tryAcquire(source, decision.ratePerSecond())
              ? new Verdict(false, null, now.revision())
              : new Verdict(
                  false,
                  Refusal.of(
                      Failure.SOURCE_THROTTLED,
                      decision.reason() + "; this request was over the limit" + changed,
                      source),
                  now.revision());
      case QUARANTINE -> {
        Refusal overCap = hold ? null : holdRate.overCap(source);
        yield overCap == null
            ? new Verdict(true, null, now.revision())
            : new Verdict(
                false,
                Refusal.of(overCap.failure(), overCap.detail() + changed, source),
                now.revision());
      }
      case ACCEPT -> new Verdict(false, null, now.revision());
    };
  }
}
