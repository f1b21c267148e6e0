/**
 * Configuration from environment variables only: one validated record per concern, every error
 * naming the variable ({@code ConfigException}). {@code GatewayConfig} gathers what {@code serve}
 * needs.
 *
 * <p>Others may use {@link io.ordergate.config.AdminSettings}, {@link
 * io.ordergate.config.AuditSettings}, {@link io.ordergate.config.CancelRequest}, {@link
 * io.ordergate.config.CleanupSettings}, {@link io.ordergate.config.ConfigException}, {@link
 * io.ordergate.config.DatabaseSettings}, {@link io.ordergate.config.Env}, {@link
 * io.ordergate.config.GatewayConfig}, {@link io.ordergate.config.IdempotencySettings}, {@link
 * io.ordergate.config.LimitSettings}, {@link io.ordergate.config.QuarantineSettings}, {@link
 * io.ordergate.config.ResilienceSettings}, {@link io.ordergate.config.RuntimeSettings}, {@link
 * io.ordergate.config.TransportChoice}, {@link io.ordergate.config.UnleashSettings}; the rest is
 * internal.
 */
package io.ordergate.config;
