/**
 * Auto-trip: each replica counts its writes per source ({@link io.ordergate.trip.WriteCounts}),
 * publishes its rates in its heartbeat row every second, sums the fleet's rates and, when a source
 * stays over its trip rate (or its learned baseline) for two consecutive seconds, publishes one
 * {@code trip} intervention with actor {@code auto-trip} that every replica applies like any other.
 * Under {@code ORDERGATE_TRIP_MODE=shadow} the trip is recorded and counted but enforces nothing.
 *
 * <p>For other packages: {@link io.ordergate.trip.WriteCounts} (the request path counts), {@link
 * io.ordergate.trip.AutoTrip} (wired by the gateway), {@link io.ordergate.trip.TripLimit} and
 * {@link io.ordergate.trip.TripStore} (the CLI's {@code --trip-rate}/{@code --trip-baseline}).
 */
package io.ordergate.trip;
