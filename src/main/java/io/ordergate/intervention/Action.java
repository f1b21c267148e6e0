package io.ordergate.intervention;

import io.ordergate.decision.Verdict;
import java.util.Locale;

/** What an operator (or the auto-trip) did to a source. */
public enum Action {
  KILL(Verdict.REJECT, "killed", "refuse its writes"),
  REVIVE(Verdict.ACCEPT, "revived", "accept its writes"),
  HOLD(Verdict.QUARANTINE, "held", "hold its writes in quarantine"),
  THROTTLE(Verdict.THROTTLE, "throttled", "throttle its writes"),
  /** Rehearsal: writes keep flowing; the decision stays as Unleash says. */
  SHADOW(null, "shadowed", "let its writes flow (shadow)"),
  /** The auto-trip; what it enforces is stored with it (hold by default). */
  TRIP(Verdict.QUARANTINE, "tripped", "hold its writes in quarantine");

  private final Verdict verdict;
  private final String pastTense;
  private final String effect;

  Action(Verdict verdict, String pastTense, String effect) {
    this.verdict = verdict;
    this.pastTense = pastTense;
    this.effect = effect;
  }

  /** What the source's writes get while the intervention holds; null for shadow. */
  public Verdict verdict() {
    return verdict;
  }

  /** "killed", "revived", … */
  public String pastTense() {
    return pastTense;
  }

  /** "refuse its writes", …: how a replica that enforces it treats the source. */
  public String effect() {
    return effect;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Action of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }

  static String verdictLabel(Verdict v) {
    return v == null ? null : v.name().toLowerCase(Locale.ROOT);
  }

  static Verdict verdictOf(String label) {
    return label == null ? null : Verdict.valueOf(label.toUpperCase(Locale.ROOT));
  }
}
