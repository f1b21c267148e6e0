package io.ordergate.decision;

/** What happens to a source's writes. Reads of known sources always pass. */
public enum Verdict {
  /** Forward to the order system. */
  ACCEPT,
  /** Refuse with 503 {@code source-disabled}. */
  REJECT,
  /** Store durably and answer 202; released or discarded later by ops. */
  QUARANTINE,
  /**
   * Forward up to {@link SourceDecision#ratePerSecond()} writes per second per replica, 429 above.
   */
  THROTTLE
}
