/**
 * The only contact with Unleash: the SDK polling with backup and bootstrap files ({@code
 * UnleashFlags}), and the Admin API client the flag commands use ({@code UnleashAdmin}).
 *
 * <p>Others may use {@link io.ordergate.flags.FlagOrigin}, {@link io.ordergate.flags.FlagStatus},
 * {@link io.ordergate.flags.UnleashAdmin}, {@link io.ordergate.flags.UnleashFlags}; the rest is
 * internal.
 */
package io.ordergate.flags;
