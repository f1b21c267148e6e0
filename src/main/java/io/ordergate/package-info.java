/**
 * Order Gate: an HTTP gateway in front of an order system that can stop, hold, throttle or rehearse
 * a stop of each order source in seconds, on every replica, and keeps an exact record of what got
 * through. {@code Main} is the command line's entry point; each sub-package is one concern (see
 * docs/architecture.md).
 *
 * <p>Others may use {@link io.ordergate.Main}; the rest is internal.
 */
package io.ordergate;
