package io.ordergate.app;

import io.ordergate.audit.AuditStore;
import io.ordergate.audit.AuditWriter;
import io.ordergate.cleanup.CleanupRoutes;
import io.ordergate.cleanup.Cleanups;
import io.ordergate.config.Env;
import io.ordergate.config.GatewayConfig;
import io.ordergate.config.TransportChoice;
import io.ordergate.db.Database;
import io.ordergate.db.Migrations;
import io.ordergate.db.Partitions;
import io.ordergate.decision.DecisionPolicy;
import io.ordergate.decision.Decisions;
import io.ordergate.flags.UnleashFlags;
import io.ordergate.forward.Forwarder;
import io.ordergate.idempotency.IdempotencyStore;
import io.ordergate.intervention.InterventionStore;
import io.ordergate.intervention.Interventions;
import io.ordergate.intervention.ReplicaRoutes;
import io.ordergate.intervention.ReplicaStore;
import io.ordergate.intervention.UnleashWebhook;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.ops.OpsVerticle;
import io.ordergate.ops.Readiness;
import io.ordergate.problem.Problems;
import io.ordergate.quarantine.QuarantineRoutes;
import io.ordergate.quarantine.QuarantineStore;
import io.ordergate.quarantine.Releases;
import io.ordergate.runtime.RuntimeInfo;
import io.ordergate.runtime.Transports;
import io.ordergate.source.Source;
import io.ordergate.source.SourceRegistry;
import io.ordergate.source.SourceStore;
import io.ordergate.traffic.ConnectionGuard;
import io.ordergate.traffic.TrafficHandler;
import io.ordergate.traffic.TrafficVerticle;
import io.ordergate.trip.AutoTrip;
import io.ordergate.trip.WriteCounts;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the gateway together: the one place that knows every part. */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final GatewayConfig config;
  private final Clock clock;
  private final GateMetrics metrics = new GateMetrics();
  private final List<TrafficVerticle> trafficServers = new CopyOnWriteArrayList<>();
  private Pool pool;
  private Pool control; // interventions, replicas, trips, sources: never waits behind a flood
  private SourceRegistry registry;
  private UnleashFlags flags;
  private Decisions decisions;
  private Interventions interventions;
  private final WriteCounts writes = new WriteCounts();
  private AutoTrip autoTrip;
  private AuditWriter audit;
  private Forwarder forwarder;
  private Cleanups cleanups;
  private Releases releases;
  private Housekeeping housekeeping;
  private TrafficHandler handler;
  private Readiness readiness;
  private OpsVerticle ops;
  private String trafficDeployment;
  private String opsDeployment;
  private Future<Void> stopping;

  private Gateway(Vertx vertx, GatewayConfig config, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
  }

  /** Vert.x on the transport ORDERGATE_TRANSPORT names; by default the best available. */
  public static Vertx newVertx() {
    return Transports.newVertx(TransportChoice.from(Env.system()));
  }

  /** Starts every part, in dependency order; the future completes when both ports listen. */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, Clock clock) {
    Gateway gateway = new Gateway(vertx, config, clock);
    return gateway.startParts().map(gateway);
  }

  private Future<Void> startParts() {
    long t0 = System.nanoTime();
    pool = Database.pool(vertx, config.database());
    control = Database.controlPool(vertx, config.database());
    Parts parts =
        new Parts(vertx, pool, config.database(), metrics, config.unleash().instanceId(), clock);
    registry =
        new SourceRegistry(
            vertx,
            new SourceStore(control),
            config.database().connectOptions(),
            config.sourcesRefresh());
    flags = new UnleashFlags(config.unleash(), clock);
    decisions =
        new Decisions(
            flags,
            new DecisionPolicy(config.globalFlag(), config.flagPrefix(), config.acceptUnflagged()),
            () -> registry.all().stream().map(Source::id).toList(),
            clock);
    decisions.flagRevisions(flags::revisionOf);
    ReplicaStore replicaStore = new ReplicaStore(control);
    interventions =
        new Interventions(
            vertx,
            new InterventionStore(control),
            replicaStore,
            config.database().connectOptions(),
            decisions,
            flags::refreshUntil,
            flags::applyProvisional,
            flags::fromUnleash,
            config.unleash().instanceId());
    AuditStore auditStore = parts.auditStore();
    IdempotencyStore idempotency = new IdempotencyStore(pool, config.idempotency());
    audit = parts.auditWriter(config.audit());
    readiness = new Readiness(decisions, audit);
    autoTrip = parts.autoTrip(control, writes, decisions, config.flood());
    forwarder = parts.forwarder(config, registry::share);
    Problems problems = new Problems(config.retryAfterSeconds());
    QuarantineStore quarantine = parts.quarantine();
    releases =
        new Releases(
            parts.releaseTools(quarantine, forwarder, audit),
            config.quarantine().releaseRatePerSecond());
    cleanups = parts.cleanups(config.cleanup(), config.backendUrl(), config.resilience());
    Partitions partitions = new Partitions(pool, clock, config.audit().retentionDays());
    housekeeping =
        new Housekeeping(
            vertx, auditStore, control, quarantine, idempotency, partitions, readiness, metrics);
    Gauges.register(metrics, flags, decisions, registry, readiness, cleanups, clock);
    Gauges.interventions(metrics, decisions, interventions);
    RuntimeInfo runtime =
        RuntimeInfo.of(vertx, config.runtime(), config.eventLoops()).register(metrics.registry());

    // Start-up runs two independent chains side by side (start to ready is a target): the
    // database's (schema, audit spool, partitions, source registry) and the flags' (the Unleash
    // SDK and its first fetch, on a worker thread). The host name lookup is a third.
    Future<Void> data =
        Migrations.migrate(pool)
            .compose(applied -> audit.start())
            .compose(v -> partitions.maintain())
            .compose(v -> registry.start());
    Future<Void> flagsLoaded =
        vertx.executeBlocking(
            () -> {
              flags.start(() -> decisions.rebuild(flags.describeChange()));
              return null;
            });
    Future<String> hostName = vertx.executeBlocking(Interventions::hostName);
    return Future.join(data, flagsLoaded, hostName)
        // The first decision table: flags and sources both known, whichever came first.
        .map(v -> decisions.rebuild(flags.describeChange()))
        // Interventions in force before the traffic port opens: a replica started after a kill
        // never lets a write of the killed source through.
        .compose(v -> interventions.start())
        .compose(
            v -> {
              registry.onChange(all -> decisions.rebuild("source registry changed"));
              housekeeping.start();
              handler =
                  parts.trafficHandler(
                      config,
                      registry,
                      decisions,
                      quarantine,
                      idempotency,
                      forwarder,
                      audit,
                      writes);
              ConnectionGuard connections = parts.connectionGuard(config, audit, decisions);
              return vertx.deployVerticle(
                  () -> {
                    TrafficVerticle verticle =
                        new TrafficVerticle(
                            config.bindHost(),
                            config.trafficPort(),
                            handler,
                            config.shutdownTimeout(),
                            config.runtime().strictThreadMode(),
                            connections);
                    trafficServers.add(verticle);
                    return verticle;
                  },
                  new DeploymentOptions().setInstances(config.eventLoops()));
            })
        .compose(
            id -> {
              trafficDeployment = id;
              ops =
                  new OpsVerticle(
                      config.bindHost(),
                      config.opsPort(),
                      config.opsToken(),
                      readiness,
                      metrics,
                      registry,
                      decisions,
                      flags,
                      problems,
                      clock,
                      List.of(
                          new QuarantineRoutes(
                              quarantine, releases, decisions, metrics, problems, clock),
                          new CleanupRoutes(cleanups, problems, clock),
                          new ReplicaRoutes(replicaStore, problems),
                          runtime.routes()),
                      List.of(new UnleashWebhook(config.webhookToken(), interventions, problems)));
              return vertx.deployVerticle(ops);
            })
        .compose(
            id -> {
              opsDeployment = id;
              return interventions.register(
                  new Interventions.Identity(hostName.result(), trafficPort(), opsPort()));
            })
        .map(
            v -> {
              autoTrip.start(); // the replica row exists now: its rates have a place
              LOG.info(
                  "Order Gate ready in {} ms: traffic on {}:{}, ops on {}:{}, environment '{}', backend {}, {} sources, flags from {}",
                  (System.nanoTime() - t0) / 1_000_000,
                  config.bindHost(),
                  trafficPort(),
                  config.bindHost(),
                  opsPort(),
                  config.environment(),
                  config.backendUrl(),
                  registry.all().size(),
                  flags.status().describe(config.unleash().url()));
              return (Void) null;
            })
        .recover(
            e -> {
              LOG.error("Order Gate failed to start: {}", e.getMessage());
              return audit
                  .drain(0) // releases the spool, if it was opened
                  .transform(ar -> closeQuietly())
                  .compose(v -> Future.failedFuture(e));
            });
  }

  /** Where the flags in force come from and how fresh they are. */
  public io.ordergate.flags.FlagStatus flagStatus() {
    return flags.status();
  }

  public int trafficPort() {
    return trafficServers.isEmpty() ? -1 : trafficServers.get(0).actualPort();
  }

  public int opsPort() {
    return ops == null ? -1 : ops.actualPort();
  }

  /** Graceful stop (see {@link Shutdown} for the steps), once however often it is called. */
  public synchronized Future<Void> stop() {
    if (stopping != null) {
      return stopping;
    }
    stopping =
        new Shutdown(vertx, config, readiness, handler, trafficDeployment)
            .run(releases, cleanups, audit, this::closeQuietly);
    return stopping;
  }

  /**
   * The longest a {@link #stop()} can take: drain, listener close, forwards still running, audit
   * flush. A container's termination grace period must be longer (the k8s manifests are checked
   * against it).
   */
  public static java.time.Duration longestStop(GatewayConfig config) {
    return Shutdown.longestStop(config);
  }

  private Future<Void> closeQuietly() {
    return Shutdown.closeParts(
        vertx,
        housekeeping,
        autoTrip,
        interventions,
        opsDeployment,
        registry,
        forwarder,
        flags,
        pool,
        control);
  }
}
