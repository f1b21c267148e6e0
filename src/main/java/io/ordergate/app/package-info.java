/**
 * Wiring: builds the gateway's parts in one place ({@code Parts}, also used by the commands that
 * need them), starts them in dependency order and stops them in reverse on SIGTERM ({@code
 * Gateway}, {@code Drain}); the periodic jobs ({@code Housekeeping}) and the gauges ({@code
 * Gauges}) live here because they read several parts.
 *
 * <p>Others may use {@link io.ordergate.app.Await}, {@link io.ordergate.app.Gateway}, {@link
 * io.ordergate.app.Parts}; the rest is internal.
 */
package io.ordergate.app;
