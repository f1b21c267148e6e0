/**
 * Clean-up after an incident: plans from the audit which forwarded orders of a source in a time
 * window to cancel (dry run), then cancels them at a set rate, resumably, one execution per source
 * at a time; also its ops routes.
 *
 * <p>Others may use {@link io.ordergate.cleanup.CleanupBusyException}, {@link
 * io.ordergate.cleanup.CleanupExecution}, {@link io.ordergate.cleanup.CleanupPlan}, {@link
 * io.ordergate.cleanup.CleanupReport}, {@link io.ordergate.cleanup.CleanupRoutes}, {@link
 * io.ordergate.cleanup.CleanupStore}, {@link io.ordergate.cleanup.CleanupWindow}, {@link
 * io.ordergate.cleanup.Cleanups}, {@link io.ordergate.cleanup.OrderCanceller}, {@link
 * io.ordergate.cleanup.TimeArgs}; the rest is internal.
 */
package io.ordergate.cleanup;
