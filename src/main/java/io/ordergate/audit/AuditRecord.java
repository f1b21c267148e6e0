package io.ordergate.audit;

/**
 * One finished request. Times are epoch microseconds to keep the hot path free of date objects.
 *
 * @param decision "forwarded" or the failure slug that ended the request
 */
public record AuditRecord(
    String requestId,
    String sourceId,
    String method,
    String path,
    String decision,
    int status,
    String backendOrderId,
    long flagRevision,
    long receivedAtMicros,
    long completedAtMicros) {}
