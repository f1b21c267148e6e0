/**
 * The environment fence: a request must say which environment it is for ({@code
 * X-Upstream-Environment}), and it must be this gateway's and the source's (421 otherwise).
 *
 * <p>Others may use {@link io.ordergate.fence.EnvironmentFence}; the rest is internal.
 */
package io.ordergate.fence;
