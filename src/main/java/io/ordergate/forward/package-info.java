/**
 * Sending a request to the order system: header rules, one pooled client per event loop, the shared
 * and per-source circuit breakers, fair share of the capacity and the time limit; failures say
 * whether the request may have been sent ({@code ForwardFailure}).
 *
 * <p>Others may use {@link io.ordergate.forward.BackendAddress}, {@link
 * io.ordergate.forward.BackendGuard}, {@link io.ordergate.forward.BackendReply}, {@link
 * io.ordergate.forward.ForwardFailure}, {@link io.ordergate.forward.ForwardRequest}, {@link
 * io.ordergate.forward.Forwarder}, {@link io.ordergate.forward.Headers}, {@link
 * io.ordergate.forward.OrderIds}; the rest is internal.
 */
package io.ordergate.forward;
