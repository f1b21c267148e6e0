/**
 * What happens to each source's writes, computed in advance: {@code Decisions} rebuilds an
 * immutable {@code DecisionTable} when flags, interventions or the source registry change, so a
 * request costs one volatile read and one map lookup.
 *
 * <p>Others may use {@link io.ordergate.decision.DecisionPolicy}, {@link
 * io.ordergate.decision.DecisionTable}, {@link io.ordergate.decision.Decisions}, {@link
 * io.ordergate.decision.FlagEvaluator}, {@link io.ordergate.decision.FlagState}, {@link
 * io.ordergate.decision.Overrule}, {@link io.ordergate.decision.Shadow}, {@link
 * io.ordergate.decision.SourceDecision}, {@link io.ordergate.decision.Verdict}; the rest is
 * internal.
 */
package io.ordergate.decision;
