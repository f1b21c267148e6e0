/**
 * The ops port: health, readiness, metrics and the {@code /ops} API, with one mapping from ops
 * errors to problem documents ({@code OpsProblems}) for every ops route.
 *
 * <p>Others may use {@link io.ordergate.ops.OpsProblems}, {@link io.ordergate.ops.OpsRoutes},
 * {@link io.ordergate.ops.OpsVerticle}, {@link io.ordergate.ops.Readiness}; the rest is internal.
 */
package io.ordergate.ops;
