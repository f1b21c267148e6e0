package io.ordergate.forward;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * Admission of one forward by {@link BackendGuard}: the source's breaker it holds a permission of,
 * and how long it waited for its fair-share slot (that wait counts against its time limit).
 */
record Pass(String source, CircuitBreaker sourceBreaker, long waitedNanos) {

  /** What is left of {@code timeoutMillis} after the wait; at least 1 ms. */
  long remainingMillis(long timeoutMillis) {
    return Math.max(1, timeoutMillis - waitedNanos / 1_000_000);
  }
}
