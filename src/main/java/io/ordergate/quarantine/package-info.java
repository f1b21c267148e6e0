/**
 * Holding a source's writes instead of forwarding them: stored with everything needed to send them
 * later, released at most once each in arrival order (or discarded), with ops routes and jobs.
 *
 * <p>Others may use {@link io.ordergate.quarantine.HeldOrder}, {@link
 * io.ordergate.quarantine.QuarantineRoutes}, {@link io.ordergate.quarantine.QuarantineStore},
 * {@link io.ordergate.quarantine.QuarantinedOrder}, {@link io.ordergate.quarantine.Release}, {@link
 * io.ordergate.quarantine.Releases}, {@link io.ordergate.quarantine.Selection}; the rest is
 * internal.
 */
package io.ordergate.quarantine;
