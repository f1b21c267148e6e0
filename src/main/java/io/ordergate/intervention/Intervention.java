package io.ordergate.intervention;

import io.ordergate.decision.FlagState;
import io.ordergate.decision.Overrule;
import io.ordergate.decision.Verdict;
import java.time.Instant;

/**
 * One row of the {@code interventions} table.
 *
 * @param enforces what the source's writes get while it holds; null leaves Unleash's decision
 * @param unleashChange the Unleash change made with it, or why none was made
 * @param baseline the source's flag in Unleash as the first replica to apply it saw it, or null
 * @param supersededBy the Unleash change that ended it, or null while it holds
 * @param unleashRevision Unleash's revision once the change made with it was in, or 0 if unknown
 */
public record Intervention(
    long id,
    String sourceId,
    Action action,
    Verdict enforces,
    int ratePerSecond,
    String actor,
    String reason,
    String unleashChange,
    Instant createdAt,
    FlagState baseline,
    String supersededBy,
    long unleashRevision) {

  /** What a command asks to publish: no id, time or supersession yet. */
  public static Intervention draft(
      String sourceId,
      Action action,
      int ratePerSecond,
      String actor,
      String reason,
      String unleashChange) {
    if (sourceId == null || sourceId.isBlank()) {
      throw new IllegalArgumentException("an intervention needs a source");
    }
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException("an intervention needs an actor");
    }
    return new Intervention(
        0,
        sourceId,
        action,
        action.verdict(),
        ratePerSecond,
        actor,
        reason == null ? "" : reason,
        unleashChange == null ? "" : unleashChange,
        null,
        null,
        null,
        0);
  }

  /** The draft with the Unleash revision its change reached ({@code 0}: unknown). */
  public Intervention withUnleashRevision(long revision) {
    return new Intervention(
        id,
        sourceId,
        action,
        enforces,
        ratePerSecond,
        actor,
        reason,
        unleashChange,
        createdAt,
        baseline,
        supersededBy,
        Math.max(0, revision));
  }

  /** "intervention #12: kill by alice (INC-42)". */
  public String summary() {
    return "intervention #"
        + id
        + ": "
        + action.label()
        + (action == Action.THROTTLE ? " " + ratePerSecond + "/s" : "")
        + " by "
        + actor
        + (reason.isBlank() ? "" : " (" + reason + ")");
  }

  Overrule overrule() {
    return new Overrule(id, enforces, ratePerSecond, summary(), baseline, unleashRevision);
  }
}
