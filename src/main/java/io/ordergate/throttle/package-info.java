/**
 * Per-source rate limiters for the {@code throttle} decision.
 *
 * <p>Others may use {@link io.ordergate.throttle.Throttles}; the rest is internal.
 */
package io.ordergate.throttle;
