package io.ordergate.app;

import io.ordergate.audit.AuditWriter;
import io.ordergate.cleanup.Cleanups;
import io.ordergate.config.GatewayConfig;
import io.ordergate.flags.UnleashFlags;
import io.ordergate.forward.Forwarder;
import io.ordergate.intervention.Interventions;
import io.ordergate.ops.Readiness;
import io.ordergate.quarantine.Releases;
import io.ordergate.source.SourceRegistry;
import io.ordergate.traffic.TrafficHandler;
import io.ordergate.trip.AutoTrip;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's graceful stop: drain, close the traffic ports, wait out forwards still running,
 * flush the audit, then close the rest. Apart from {@link Gateway} (which wires and starts) because
 * the order of these steps and their time bounds are a concern of their own, and {@link
 * #longestStop} must stay in step with them.
 */
final class Shutdown {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  /** After the drain: how long the audit buffer may take to reach PostgreSQL before we give up. */
  private static final long AUDIT_DRAIN_MILLIS = 5_000;

  /**
   * After the drain: how long the traffic listeners give connections still open (see
   * TrafficVerticle.stop).
   */
  private static final long LISTENER_CLOSE_MILLIS = 1_000;

  /** A forward cannot outlive the backend time limit by more than this. */
  private static final long FORWARD_GRACE_MILLIS = 1_000;

  private final Vertx vertx;
  private final GatewayConfig config;
  private final Readiness readiness;
  private final TrafficHandler handler;
  private final String trafficDeployment;

  /** {@code handler} and {@code trafficDeployment} are null when the start failed before them. */
  Shutdown(
      Vertx vertx,
      GatewayConfig config,
      Readiness readiness,
      TrafficHandler handler,
      String trafficDeployment) {
    this.vertx = vertx;
    this.config = config;
    this.readiness = readiness;
    this.handler = handler;
    this.trafficDeployment = trafficDeployment;
  }

  /**
   * Readiness drops and responses start to carry {@code Connection: close}; requests in flight get
   * up to {@code ORDERGATE_SHUTDOWN_TIMEOUT_MS} to finish while new ones are still served. Then the
   * ports close, forwards still running are awaited (none can outlive the backend time limit) so
   * that every request is counted and audited, the audit buffer is flushed, and only then does
   * {@code closeRest} run.
   */
  Future<Void> run(
      Releases releases,
      Cleanups cleanups,
      AuditWriter audit,
      java.util.function.Supplier<Future<Void>> closeRest) {
    LOG.info(
        "Shutting down: draining in-flight requests (up to {} ms)",
        config.shutdownTimeout().toMillis());
    readiness.draining();
    if (handler != null) {
      handler.startDraining();
    }
    long backendBound = config.resilience().backendTimeout().toMillis() + FORWARD_GRACE_MILLIS;
    // Background jobs stop after their current order, meanwhile the traffic drains: both fit in
    // longestStop.
    Future<?> jobsStopped =
        Future.join(
            releases.stopAll("the gateway is shutting down").recover(e -> Future.succeededFuture()),
            cleanups.stop("the gateway is shutting down").recover(e -> Future.succeededFuture()));
    return awaitIdle(System.currentTimeMillis() + config.shutdownTimeout().toMillis())
        .compose(
            v ->
                trafficDeployment == null
                    ? Future.succeededFuture()
                    : vertx.undeploy(trafficDeployment))
        .recover(
            e -> {
              LOG.warn("Traffic servers did not stop cleanly: {}", e.getMessage());
              return Future.succeededFuture();
            })
        .compose(v -> awaitIdle(System.currentTimeMillis() + backendBound))
        .compose(v -> jobsStopped.transform(ar -> Future.succeededFuture()))
        .compose(v -> audit.drain(AUDIT_DRAIN_MILLIS))
        .compose(v -> closeRest.get())
        .onComplete(v -> LOG.info("Order Gate stopped"));
  }

  static java.time.Duration longestStop(GatewayConfig config) {
    return config
        .shutdownTimeout()
        .plusMillis(LISTENER_CLOSE_MILLIS)
        .plus(config.resilience().backendTimeout())
        .plusMillis(FORWARD_GRACE_MILLIS)
        .plusMillis(AUDIT_DRAIN_MILLIS);
  }

  /** Completes once no request is in flight, or at the deadline. */
  private Future<Void> awaitIdle(long deadline) {
    return handler == null ? Future.succeededFuture() : Drain.awaitIdle(vertx, handler, deadline);
  }

  /**
   * Closes what is left once traffic, jobs and audit are done, in an order where nothing closed is
   * still needed; parts a failed start never made are null and skipped. Never fails.
   */
  static Future<Void> closeParts(
      Vertx vertx,
      Housekeeping housekeeping,
      AutoTrip autoTrip,
      Interventions interventions,
      String opsDeployment,
      SourceRegistry registry,
      Forwarder forwarder,
      UnleashFlags flags,
      Pool pool,
      Pool control) {
    if (housekeeping != null) {
      housekeeping.stop();
    }
    List<Future<?>> closing = new ArrayList<>();
    if (autoTrip != null) {
      closing.add(autoTrip.stop());
    }
    if (interventions != null) {
      closing.add(interventions.stop());
    }
    if (opsDeployment != null) {
      closing.add(vertx.undeploy(opsDeployment));
    }
    if (registry != null) {
      closing.add(registry.stop());
    }
    if (forwarder != null) {
      closing.add(forwarder.close());
    }
    if (flags != null) {
      flags.close();
    }
    return Future.join(closing)
        .transform(ar -> pool == null ? Future.succeededFuture() : pool.close())
        .transform(ar -> control == null ? Future.succeededFuture() : control.close())
        .transform(ar -> Future.succeededFuture());
  }
}
