package io.ordergate.app;

import io.ordergate.audit.AuditStore;
import io.ordergate.audit.AuditWriter;
import io.ordergate.cleanup.Cleanups;
import io.ordergate.cleanup.OrderCanceller;
import io.ordergate.config.AuditSettings;
import io.ordergate.config.CleanupSettings;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.config.FloodSettings;
import io.ordergate.config.GatewayConfig;
import io.ordergate.config.ResilienceSettings;
import io.ordergate.decision.Decisions;
import io.ordergate.fence.EnvironmentFence;
import io.ordergate.forward.BackendGuard;
import io.ordergate.forward.Forwarder;
import io.ordergate.idempotency.Idempotency;
import io.ordergate.idempotency.IdempotencyStore;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.problem.Problems;
import io.ordergate.quarantine.QuarantineStore;
import io.ordergate.quarantine.Release;
import io.ordergate.shadow.Shadows;
import io.ordergate.source.Source;
import io.ordergate.source.SourceRegistry;
import io.ordergate.throttle.Throttles;
import io.ordergate.traffic.ConnectionGuard;
import io.ordergate.traffic.TrafficHandler;
import io.ordergate.trip.AutoTrip;
import io.ordergate.trip.TripStore;
import io.ordergate.trip.WriteCounts;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.time.Clock;
import java.util.function.ToIntFunction;

/**
 * Builds the parts that {@code serve} and the commands share (forwarder, audit writer, quarantine
 * and release, clean-ups), the same way for each: one process's Vert.x, pool, metrics and name.
 *
 * @param instanceId this process as recorded in PostgreSQL (audit rows, held orders, run locks)
 */
public record Parts(
    Vertx vertx,
    Pool pool,
    DatabaseSettings database,
    GateMetrics metrics,
    String instanceId,
    Clock clock) {
  /** Cancels a clean-up sends to the order system, over their own small pool. */
  private static final int CANCEL_CONNECTIONS = 32;

  /** Holds in flight per database connection before a hold is refused 503. */
  private static final int HOLDS_PER_CONNECTION = 4;

  /**
   * {@code eventLoops}: the gateway's, so each has its own client; a command uses one. Every source
   * has the same share of the order system's capacity.
   */
  public Forwarder forwarder(URI backend, ResilienceSettings resilience, int eventLoops) {
    return forwarder(
        backend,
        resilience,
        eventLoops,
        Forwarder.DEFAULT_MAX_RESPONSE_BYTES,
        source -> Source.DEFAULT_SHARE);
  }

  /**
   * The gateway's: one client per event loop, answers up to ORDERGATE_MAX_RESPONSE_BYTES, each
   * source's share of the order system's capacity from the registry.
   */
  public Forwarder forwarder(GatewayConfig config, ToIntFunction<String> shares) {
    return forwarder(
        config.backendUrl(),
        config.resilience(),
        config.eventLoops(),
        config.limits().maxResponseBytes(),
        shares);
  }

  /** The traffic port's connection defences, shared by its servers. */
  public ConnectionGuard connectionGuard(
      GatewayConfig config, AuditWriter audit, Decisions decisions) {
    return new ConnectionGuard(
        config.limits(), metrics, audit, () -> decisions.current().revision(), clock);
  }

  /**
   * {@code maxResponseBytes}: the largest answer passed on (ORDERGATE_MAX_RESPONSE_BYTES); {@code
   * shares}: each source's share of the order system's capacity.
   */
  public Forwarder forwarder(
      URI backend,
      ResilienceSettings resilience,
      int eventLoops,
      int maxResponseBytes,
      ToIntFunction<String> shares) {
    return new Forwarder(
        vertx,
        backend,
        resilience,
        new BackendGuard(resilience, metrics.registry(), shares, clock),
        metrics,
        eventLoops,
        maxResponseBytes);
  }

  public AuditStore auditStore() {
    return new AuditStore(pool, instanceId);
  }

  /** Ships to this database, its rows tagged with this process's name; not started yet. */
  public AuditWriter auditWriter(AuditSettings settings) {
    return AuditWriter.toPostgres(
        vertx, settings, metrics, clock, database.connectOptions(), instanceId);
  }

  public QuarantineStore quarantine() {
    // half the request path's pool at most: idempotency keys and ops reads keep the rest
    return new QuarantineStore(pool, instanceId, Math.max(1, database.poolSize() / 2));
  }

  public Release.Tools releaseTools(QuarantineStore store, Forwarder forwarder, AuditWriter audit) {
    return new Release.Tools(
        vertx, database.connectOptions(), store, forwarder, audit, metrics, clock);
  }

  /** {@code backend}: where cancels go; null for a clean-up that only plans (a dry run). */
  public Cleanups cleanups(CleanupSettings settings, URI backend, ResilienceSettings resilience) {
    OrderCanceller canceller =
        backend == null
            ? null
            : new OrderCanceller(
                vertx,
                backend,
                settings.cancelRequest(),
                resilience.connectTimeout(),
                resilience.backendTimeout(),
                CANCEL_CONNECTIONS);
    return new Cleanups(
        vertx, pool, database.connectOptions(), settings, canceller, metrics, instanceId);
  }

  /** The request path of {@code serve}, on the parts it shares with the ops API. */
  public TrafficHandler trafficHandler(
      GatewayConfig config,
      SourceRegistry registry,
      Decisions decisions,
      QuarantineStore quarantine,
      IdempotencyStore idempotency,
      Forwarder forwarder,
      AuditWriter audit,
      WriteCounts writes) {
    return new TrafficHandler(
        new TrafficHandler.Parts(
            registry,
            new EnvironmentFence(config.environment()),
            decisions,
            new Throttles(metrics.registry()),
            quarantine,
            new Idempotency(idempotency),
            forwarder,
            audit,
            metrics,
            new Problems(config.retryAfterSeconds()),
            config.maxBodyBytes(),
            config.limits(),
            clock,
            new Shadows(metrics.registry(), clock),
            writes,
            // holds waiting for a connection beyond this are refused, not queued without bound
            HOLDS_PER_CONNECTION * config.database().poolSize(),
            config.quarantine().holdRatePerSecond()));
  }

  /**
   * The fleet-wide auto-trip of this process, on the control plane's pool {@code control} (a flood
   * that exhausts the request path's pool must not delay its own trip), metrics, name and clock
   * (built here rather than in Gateway to keep the wiring there short).
   */
  public AutoTrip autoTrip(
      Pool control, WriteCounts writes, Decisions decisions, FloodSettings flood) {
    return new AutoTrip(
        vertx,
        new TripStore(control),
        writes,
        decisions,
        flood,
        metrics.registry(),
        instanceId,
        clock);
  }
}
