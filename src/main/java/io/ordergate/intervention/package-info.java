/**
 * Interventions: ops and automatic actions on a source (kill, revive, hold, throttle, shadow, trip)
 * with actor, reason and time, stored in PostgreSQL and broadcast to every replica through {@code
 * LISTEN/NOTIFY}; the replica registry with heartbeats and acknowledgements; the {@code
 * /ops/replicas} and {@code /ops/unleash-webhook} endpoints.
 *
 * <p>A replica applies an intervention by putting a new decision table in force ({@link
 * io.ordergate.decision.Decisions#overrule}), then acknowledges it: an acknowledged intervention is
 * enforced by that replica. The request path is untouched.
 *
 * <p>For other packages: {@link io.ordergate.intervention.Action}, {@link
 * io.ordergate.intervention.Intervention}, {@link io.ordergate.intervention.InterventionStore} and
 * {@link io.ordergate.intervention.Replica} (the CLI publishes and awaits acknowledgements), {@link
 * io.ordergate.intervention.ReplicaStore} (the CLI's fleet view), {@link
 * io.ordergate.intervention.Interventions} (wired by the gateway).
 */
package io.ordergate.intervention;
