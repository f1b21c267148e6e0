package io.ordergate.audit;

/**
 * One finished request. Times are epoch microseconds to keep the hot path free of date objects.
 *
 * @param decision "forwarded" or the failure slug that ended the request
 * @param shadow what the source's shadow action would have done ("would-reject",
 *     "would-quarantine", "would-throttle"), or null; the request's own outcome is {@code decision}
 * @param interventionId the intervention in force for the source's decision when the request was
 *     judged (table {@code interventions}), 0 when Unleash alone decided
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
    long completedAtMicros,
    String shadow,
    long interventionId) {

  public AuditRecord(
      String requestId,
      String sourceId,
      String method,
      String path,
      String decision,
      int status,
      String backendOrderId,
      long flagRevision,
      long receivedAtMicros,
      long completedAtMicros) {
    this(
        requestId,
        sourceId,
        method,
        path,
        decision,
        status,
        backendOrderId,
        flagRevision,
        receivedAtMicros,
        completedAtMicros,
        null,
        0);
  }

  /**
   * PostgreSQL text cannot hold NUL; a hostile path or backend id must not poison a whole batch.
   */
  public AuditRecord {
    path = clean(path);
    backendOrderId = clean(backendOrderId);
    requestId = clean(requestId);
    method = clean(method);
  }

  private static String clean(String s) {
    return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
  }
}
