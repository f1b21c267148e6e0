/**
 * The local demo: embedded PostgreSQL, the pinned Unleash server, the demo order system and N
 * gateway replicas, started and stopped together; leftovers of a killed demo are recognised and
 * stopped safely.
 *
 * <p>Others may use {@link io.ordergate.demo.Demo}, {@link io.ordergate.demo.DemoOrderSystem},
 * {@link io.ordergate.demo.EmbeddedDatabase}, {@link io.ordergate.demo.UnleashServer}; the rest is
 * internal.
 */
package io.ordergate.demo;
