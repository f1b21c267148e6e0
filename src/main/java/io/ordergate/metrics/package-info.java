/**
 * The gateway's meters and their Prometheus text. Others use {@link
 * io.ordergate.metrics.GateMetrics} (counters, gauges, scrape), {@link
 * io.ordergate.metrics.SourceStates} (per-source state series) and {@link
 * io.ordergate.metrics.BuildInfo} (the version); {@code ZeroSeries} says which labelled counters
 * exist at 0 before their first event.
 */
package io.ordergate.metrics;
