package io.ordergate.decision;

/** The precomputed decision for one source, with the reason shown to clients and operators. */
public record SourceDecision(String sourceId, String flagName, Verdict verdict, String reason, String variant) {

  public boolean accepts() {
    return verdict == Verdict.ACCEPT;
  }
}
