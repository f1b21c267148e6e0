package io.ordergate.decision;

/** What happens to a source's writes. Reads of known sources always pass. */
public enum Verdict {
  ACCEPT,
  REJECT
}
