package io.ordergate.decision;

/** The settings that turn flags into decisions. */
public record DecisionPolicy(String globalFlag, String flagPrefix, boolean acceptUnflagged) {

  public String flagFor(String sourceId) {
    return flagPrefix + sourceId;
  }
}
