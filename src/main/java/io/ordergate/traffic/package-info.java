/**
 * The request path on the traffic port, as ordered steps: {@code Admission} (pure checks), body
 * reading, the idempotency protocol, {@code Dispatch} (forward or hold) and {@code Outcome}
 * (answer, count, audit once each), orchestrated by {@code TrafficHandler}; plus the
 * connection-level defences.
 *
 * <p>Others may use {@link io.ordergate.traffic.ConnectionGuard}, {@link
 * io.ordergate.traffic.TrafficHandler}, {@link io.ordergate.traffic.TrafficVerticle}; the rest is
 * internal.
 */
package io.ordergate.traffic;
