/**
 * Every refusal or failure as a {@code Failure} (status, problem type, title) and its RFC 9457
 * problem document, written in one place ({@code Problems}).
 *
 * <p>Others may use {@link io.ordergate.problem.Failure}, {@link
 * io.ordergate.problem.GateException}, {@link io.ordergate.problem.Problem}, {@link
 * io.ordergate.problem.Problems}; the rest is internal.
 */
package io.ordergate.problem;
