/**
 * The audit trail: every request's outcome, kept exactly once. The request path calls {@link
 * io.ordergate.audit.AuditWriter#record} when a request ends and {@link
 * io.ordergate.audit.AuditWriter#canAccept} before it lets a write through; releases of held orders
 * record through the same writer. Records go to an in-memory intake, then every flush interval to a
 * local append-only spool (segment files of length-prefixed, CRC32C-checked records), then with
 * COPY to PostgreSQL together with the spool position, in one transaction. Refusals beyond a
 * per-source sample are counted per source, decision, intervention and second instead of one row
 * each.
 *
 * <p>Others use {@link io.ordergate.audit.AuditWriter}, {@link io.ordergate.audit.AuditRecord} and
 * {@link io.ordergate.audit.AuditStore}; the rest is internal.
 */
package io.ordergate.audit;
