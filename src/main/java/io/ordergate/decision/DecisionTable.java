package io.ordergate.decision;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Immutable per-source decisions, rebuilt when flags or the registry change, so that a request
 * costs one map lookup and never an SDK evaluation.
 *
 * @param revision the decision revision: increases with every rebuild that changed a decision (a
 *     flag, an intervention or the source registry), recorded with each request
 * @param causes per source, what made its current decision: the decision revision and the change
 *     behind it (an Unleash change or an intervention)
 */
public record DecisionTable(
    Map<String, SourceDecision> bySource,
    SourceDecision unknownSource,
    long revision,
    Instant builtAt,
    Map<String, String> causes) {
  public static final String QUARANTINE = "quarantine";
  public static final String THROTTLE = "throttle";
  public static final String SHADOW = "shadow";

  public static final DecisionTable EMPTY =
      new DecisionTable(
          Map.of(),
          new SourceDecision(null, null, Verdict.REJECT, "flags are not loaded yet", null),
          0,
          Instant.EPOCH,
          Map.of());

  /** A table without recorded causes (tests, and tables built outside {@link Decisions}). */
  public DecisionTable(
      Map<String, SourceDecision> bySource,
      SourceDecision unknownSource,
      long revision,
      Instant builtAt) {
    this(bySource, unknownSource, revision, builtAt, Map.of());
  }

  public SourceDecision forSource(String sourceId) {
    SourceDecision d = bySource.get(sourceId);
    return d != null ? d : unknownSource;
  }

  /** Evaluates every source's flag once (plus the global flag) and freezes the result. */
  public static DecisionTable build(
      FlagEvaluator flags,
      Collection<String> sourceIds,
      DecisionPolicy policy,
      long revision,
      Instant now) {
    return build(flags, sourceIds, policy, Map.of(), revision, now, Map.of());
  }

  /**
   * As above, with the interventions in force: an overrule replaces what the source's own flag
   * says, but not a global stop.
   */
  static DecisionTable build(
      FlagEvaluator flags,
      Collection<String> sourceIds,
      DecisionPolicy policy,
      Map<String, Overrule> overrules,
      long revision,
      Instant now,
      Map<String, String> causes) {
    FlagState global = flags.evaluate(policy.globalFlag(), null);
    Map<String, SourceDecision> table = new HashMap<>();
    for (String id : sourceIds) {
      table.put(id, decide(flags, policy, global, id, overrules.get(id)));
    }
    SourceDecision unknown =
        new SourceDecision(
            null, null, Verdict.REJECT, "source not in the decision table yet", null);
    return new DecisionTable(Map.copyOf(table), unknown, revision, now, Map.copyOf(causes));
  }

  static SourceDecision decide(
      FlagEvaluator flags, DecisionPolicy policy, FlagState global, String id) {
    return decide(flags, policy, global, id, null);
  }

  static SourceDecision decide(
      FlagEvaluator flags, DecisionPolicy policy, FlagState global, String id, Overrule overrule) {
    String flagName = policy.flagFor(id);
    if (global.exists() && !global.enabled()) {
      return new SourceDecision(
          id,
          policy.globalFlag(),
          Verdict.REJECT,
          "order intake is switched off for all sources (flag '" + policy.globalFlag() + "')",
          null);
    }
    FlagState own = flags.evaluate(flagName, id);
    if (overrule != null && overrule.verdict() != null) {
      return overruled(id, flagName, own, overrule);
    }
    return fromUnleash(id, flagName, policy, own).withUnleash(own);
  }

  private static SourceDecision overruled(
      String id, String flagName, FlagState own, Overrule overrule) {
    String by = " by intervention #" + overrule.interventionId();
    return switch (overrule.verdict()) {
      case REJECT ->
          new SourceDecision(
              id,
              flagName,
              Verdict.REJECT,
              "source '" + id + "' is switched off" + by,
              null,
              0,
              own,
              overrule);
      case QUARANTINE ->
          new SourceDecision(
              id,
              flagName,
              Verdict.QUARANTINE,
              "source '" + id + "' is held in quarantine" + by,
              QUARANTINE,
              0,
              own,
              overrule);
      case THROTTLE ->
          new SourceDecision(
              id,
              flagName,
              Verdict.THROTTLE,
              "source '"
                  + id
                  + "' is throttled to "
                  + overrule.ratePerSecond()
                  + " writes/s per replica"
                  + by,
              THROTTLE,
              overrule.ratePerSecond(),
              own,
              overrule);
      case ACCEPT ->
          new SourceDecision(
              id,
              flagName,
              Verdict.ACCEPT,
              "source '" + id + "' is on" + by,
              null,
              0,
              own,
              overrule);
    };
  }

  static SourceDecision fromUnleash(
      String id, String flagName, DecisionPolicy policy, FlagState own) {
    if (!own.exists()) {
      return policy.acceptUnflagged()
          ? new SourceDecision(
              id,
              flagName,
              Verdict.ACCEPT,
              "no flag '" + flagName + "'; unflagged sources are accepted",
              null)
          : new SourceDecision(
              id,
              flagName,
              Verdict.REJECT,
              "no flag '" + flagName + "'; unflagged sources are rejected",
              null);
    }
    if (!own.enabled()) {
      return new SourceDecision(
          id,
          flagName,
          Verdict.REJECT,
          "source '" + id + "' is switched off (flag '" + flagName + "')",
          own.variant());
    }
    return onWithVariant(id, flagName, own);
  }

  /**
   * Variants other than {@code quarantine} and {@code throttle} are plain accepts (A/B tests may
   * use them).
   */
  private static SourceDecision onWithVariant(String id, String flagName, FlagState own) {
    String variant = own.variant();
    if (QUARANTINE.equals(variant)) {
      return new SourceDecision(
          id,
          flagName,
          Verdict.QUARANTINE,
          "source '" + id + "' is held in quarantine (flag '" + flagName + "' variant quarantine)",
          variant);
    }
    if (THROTTLE.equals(variant)) {
      int rate = ThrottlePayload.ratePerSecond(own.payload());
      if (rate < 0) {
        // Ops meant to restrict this source; a typo in the payload must not open it fully.
        return new SourceDecision(
            id,
            flagName,
            Verdict.REJECT,
            "source '"
                + id
                + "' has variant throttle without a valid payload "
                + "{\"ratePerSecond\": N} (flag '"
                + flagName
                + "'); refused until the payload is fixed",
            variant);
      }
      return new SourceDecision(
          id,
          flagName,
          Verdict.THROTTLE,
          "source '"
              + id
              + "' is throttled to "
              + rate
              + " writes/s per replica (flag '"
              + flagName
              + "' variant throttle)",
          variant,
          rate);
    }
    if (SHADOW.equals(variant)) {
      return shadowed(id, flagName, own);
    }
    return new SourceDecision(
        id, flagName, Verdict.ACCEPT, "flag '" + flagName + "' is on", variant);
  }

  /**
   * Variant {@code shadow}: the writes are accepted, and what its action would do is counted. A
   * payload that cannot be read rehearses nothing, but never refuses: a rehearsal must not stop
   * traffic.
   */
  private static SourceDecision shadowed(String id, String flagName, FlagState own) {
    Shadow shadow = Shadow.parse(own.payload());
    String reason =
        shadow == null
            ? "flag '"
                + flagName
                + "' is on with variant shadow, but its payload is not "
                + "{\"action\": \"kill\"|\"hold\"|\"throttle\", \"ratePerSecond\": N}: nothing is rehearsed"
            : "flag '"
                + flagName
                + "' is on with "
                + shadow.describe()
                + ": writes pass, those it would stop are counted as "
                + shadow.action().wouldDecision();
    return new SourceDecision(id, flagName, Verdict.ACCEPT, reason, SHADOW, 0, null, null, shadow);
  }

  /** True when both tables would answer every source the same way, variant included. */
  public boolean sameDecisionsAs(DecisionTable other) {
    return bySource.equals(other.bySource);
  }
}
