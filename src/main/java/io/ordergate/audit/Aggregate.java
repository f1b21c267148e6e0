package io.ordergate.audit;

/**
 * Refusals beyond the per-source sample: {@code count} requests of one source (null: no known
 * source) ended with {@code decision} in the UTC second starting at {@code epochSecond}, under
 * intervention {@code interventionId} (0: none).
 */
record Aggregate(
    long epochSecond, String sourceId, String decision, long count, long interventionId) {}
