package io.ordergate.decision;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Immutable per-source decisions, rebuilt when flags or the registry change, so that a request costs
 * one map lookup and never an SDK evaluation.
 *
 * @param revision increases with every rebuild that changed a decision, recorded with each request
 */
public record DecisionTable(Map<String, SourceDecision> bySource, SourceDecision unknownSource, long revision, Instant builtAt) {

  public static final DecisionTable EMPTY = new DecisionTable(Map.of(),
      new SourceDecision(null, null, Verdict.REJECT, "flags are not loaded yet", null), 0, Instant.EPOCH);

  public SourceDecision forSource(String sourceId) {
    SourceDecision d = bySource.get(sourceId);
    return d != null ? d : unknownSource;
  }

  /** Evaluates every source's flag once (plus the global flag) and freezes the result. */
  public static DecisionTable build(FlagEvaluator flags, Collection<String> sourceIds, DecisionPolicy policy, long revision, Instant now) {
    FlagState global = flags.evaluate(policy.globalFlag(), null);
    Map<String, SourceDecision> table = new HashMap<>();
    for (String id : sourceIds) {
      table.put(id, decide(flags, policy, global, id));
    }
    SourceDecision unknown = new SourceDecision(null, null, Verdict.REJECT, "source not in the decision table yet", null);
    return new DecisionTable(Map.copyOf(table), unknown, revision, now);
  }

  static SourceDecision decide(FlagEvaluator flags, DecisionPolicy policy, FlagState global, String id) {
    String flagName = policy.flagFor(id);
    if (global.exists() && !global.enabled()) {
      return new SourceDecision(id, policy.globalFlag(), Verdict.REJECT,
          "order intake is switched off for all sources (flag '" + policy.globalFlag() + "')", null);
    }
    FlagState own = flags.evaluate(flagName, id);
    if (!own.exists()) {
      return policy.acceptUnflagged()
          ? new SourceDecision(id, flagName, Verdict.ACCEPT, "no flag '" + flagName + "'; unflagged sources are accepted", null)
          : new SourceDecision(id, flagName, Verdict.REJECT, "no flag '" + flagName + "'; unflagged sources are rejected", null);
    }
    if (!own.enabled()) {
      return new SourceDecision(id, flagName, Verdict.REJECT, "source '" + id + "' is switched off (flag '" + flagName + "')", own.variant());
    }
    return new SourceDecision(id, flagName, Verdict.ACCEPT, "flag '" + flagName + "' is on", own.variant());
  }

  /** True when both tables would answer every source the same way, variant included. */
  public boolean sameDecisionsAs(DecisionTable other) {
    return bySource.equals(other.bySource);
  }
}
