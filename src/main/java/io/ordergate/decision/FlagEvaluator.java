package io.ordergate.decision;

/** Evaluates a flag for a source, off the request path (when a decision table is built). */
@FunctionalInterface
public interface FlagEvaluator {
  FlagState evaluate(String flagName, String sourceId);
}
