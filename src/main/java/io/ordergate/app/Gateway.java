package io.ordergate.app;

import io.ordergate.audit.AuditStore;
import io.ordergate.audit.AuditWriter;
import io.ordergate.config.GatewayConfig;
import io.ordergate.db.Database;
import io.ordergate.db.Migrations;
import io.ordergate.decision.DecisionPolicy;
import io.ordergate.decision.Decisions;
import io.ordergate.fence.EnvironmentFence;
import io.ordergate.flags.UnleashFlags;
import io.ordergate.forward.BackendGuard;
import io.ordergate.forward.Forwarder;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.ops.OpsVerticle;
import io.ordergate.ops.Readiness;
import io.ordergate.problem.Problems;
import io.ordergate.source.Source;
import io.ordergate.source.SourceRegistry;
import io.ordergate.source.SourceStore;
import io.ordergate.traffic.TrafficHandler;
import io.ordergate.traffic.TrafficVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the gateway together: the one place that knows every part. */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private static final long DB_CHECK_MILLIS = 2_000;
  /** After the drain: how long the audit buffer may take to reach PostgreSQL before we give up. */
  private static final long AUDIT_DRAIN_MILLIS = 5_000;

  private final Vertx vertx;
  private final GatewayConfig config;
  private final Clock clock;
  private final GateMetrics metrics = new GateMetrics();
  private final List<TrafficVerticle> trafficServers = new CopyOnWriteArrayList<>();
  private Pool pool;
  private SourceRegistry registry;
  private UnleashFlags flags;
  private Decisions decisions;
  private AuditWriter audit;
  private AuditStore auditStore;
  private Forwarder forwarder;
  private TrafficHandler handler;
  private Readiness readiness;
  private OpsVerticle ops;
  private String trafficDeployment;
  private String opsDeployment;
  private long dbCheckTimer = -1;
  private Future<Void> stopping;

  private Gateway(Vertx vertx, GatewayConfig config, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
  }

  /** The Vert.x instance a gateway runs on: the native transport (epoll) where the platform has it. */
  public static Vertx newVertx() {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    LOG.info("Network transport: {}", vertx.isNativeTransportEnabled() ? "native (epoll)" : "NIO");
    return vertx;
  }

  /** Starts every part, in dependency order; the future completes when both ports listen. */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, Clock clock) {
    Gateway gateway = new Gateway(vertx, config, clock);
    return gateway.startParts().map(gateway);
  }

  private Future<Void> startParts() {
    long t0 = System.nanoTime();
    pool = Database.pool(vertx, config.database());
    SourceStore sources = new SourceStore(pool);
    registry = new SourceRegistry(vertx, sources, config.database().connectOptions(), config.sourcesRefresh());
    flags = new UnleashFlags(config.unleash(), clock);
    decisions = new Decisions(flags, new DecisionPolicy(config.globalFlag(), config.flagPrefix(), config.acceptUnflagged()),
        () -> registry.all().stream().map(Source::id).toList(), clock);
    auditStore = new AuditStore(pool, config.unleash().instanceId());
    audit = new AuditWriter(vertx, auditStore, config.audit(), metrics);
    readiness = new Readiness(decisions, audit);
    BackendGuard guard = new BackendGuard(config.resilience(), metrics.registry());
    forwarder = new Forwarder(vertx, config.backendUrl(), config.resilience(), guard, metrics, config.eventLoops());
    Problems problems = new Problems(config.retryAfterSeconds());
    registerGauges();

    return Migrations.migrate(pool)
        .compose(applied -> registry.start())
        .compose(v -> vertx.executeBlocking(() -> {
          flags.start(() -> decisions.rebuild("flags changed")); // builds the first decision table
          return null;
        }))
        .compose(v -> {
          registry.onChange(all -> decisions.rebuild("source registry changed"));
          audit.start();
          dbCheckTimer = vertx.setPeriodic(DB_CHECK_MILLIS, id -> checkDatabase());
          handler = new TrafficHandler(registry, new EnvironmentFence(config.environment()), decisions,
              forwarder, audit, metrics, problems, config.maxBodyBytes(), clock);
          return vertx.deployVerticle(() -> {
            TrafficVerticle v1 = new TrafficVerticle(config.bindHost(), config.trafficPort(), handler, config.shutdownTimeout());
            trafficServers.add(v1);
            return v1;
          }, new DeploymentOptions().setInstances(config.eventLoops()));
        })
        .compose(id -> {
          trafficDeployment = id;
          ops = new OpsVerticle(config.bindHost(), config.opsPort(), config.opsToken(), readiness, metrics, registry,
              decisions, flags, problems, clock);
          return vertx.deployVerticle(ops);
        })
        .map(id -> {
          opsDeployment = id;
          LOG.info("Order Gate ready in {} ms: traffic on {}:{}, ops on {}:{}, environment '{}', backend {}, {} sources, flags from {}",
              (System.nanoTime() - t0) / 1_000_000, config.bindHost(), trafficPort(), config.bindHost(), opsPort(),
              config.environment(), config.backendUrl(), registry.all().size(), flags.status().origin().label());
          return (Void) null;
        })
        .recover(e -> {
          LOG.error("Order Gate failed to start: {}", e.getMessage());
          return closeQuietly().compose(v -> Future.failedFuture(e));
        });
  }

  private void registerGauges() {
    metrics.gauge("ordergate.flags.age.seconds", "Seconds since the flags in force were last confirmed current",
        () -> flags.status().age(clock.instant()).toMillis() / 1000.0);
    metrics.gauge("ordergate.flags.revision", "Revision of the decision table; increases with every change",
        () -> decisions.current().revision());
    metrics.gauge("ordergate.flags.reachable", "1 when the last flag poll succeeded", () -> flags.status().reachable() ? 1 : 0);
    metrics.gauge("ordergate.flags.failed.polls", "Flag polls that failed since start", () -> flags.status().failedPolls());
    metrics.gauge("ordergate.sources.registered", "Sources in the registry", () -> registry.all().size());
    metrics.gauge("ordergate.sources.rejected", "Sources whose writes are currently refused",
        () -> decisions.current().bySource().values().stream().filter(d -> !d.accepts()).count());
    metrics.gauge("ordergate.database.up", "1 when PostgreSQL answers", () -> readiness.databaseUp() ? 1 : 0);
    metrics.gauge("ordergate.ready", "1 when /ready answers 200", () -> readiness.ready() ? 1 : 0);
  }

  private void checkDatabase() {
    auditStore.ping().onComplete(ar -> {
      boolean wasUp = readiness.databaseUp();
      readiness.database(ar.succeeded(), ar.succeeded() ? null : ar.cause().getMessage());
      if (wasUp && ar.failed()) {
        LOG.warn("PostgreSQL does not answer: {}", ar.cause().getMessage());
      } else if (!wasUp && ar.succeeded()) {
        LOG.info("PostgreSQL answers again");
      }
    });
  }

  public int trafficPort() {
    return trafficServers.isEmpty() ? -1 : trafficServers.get(0).actualPort();
  }

  public int opsPort() {
    return ops == null ? -1 : ops.actualPort();
  }

  /**
   * Graceful stop, once however often it is called. Readiness drops and responses start to carry
   * {@code Connection: close}; requests in flight get up to {@code ORDERGATE_SHUTDOWN_TIMEOUT_MS} to
   * finish while new ones are still served. Then the ports close, forwards still running are
   * awaited (none can outlive the backend time limit) so that every request is counted and
   * audited, the audit buffer is flushed, and only then does the rest close.
   */
  public synchronized Future<Void> stop() {
    if (stopping != null) {
      return stopping;
    }
    LOG.info("Shutting down: draining in-flight requests (up to {} ms)", config.shutdownTimeout().toMillis());
    readiness.draining();
    if (handler != null) {
      handler.startDraining();
    }
    long backendBound = config.resilience().backendTimeout().toMillis() + 1_000;
    stopping = awaitIdle(System.currentTimeMillis() + config.shutdownTimeout().toMillis())
        .compose(v -> trafficDeployment == null ? Future.succeededFuture() : vertx.undeploy(trafficDeployment))
        .recover(e -> {
          LOG.warn("Traffic servers did not stop cleanly: {}", e.getMessage());
          return Future.succeededFuture();
        })
        .compose(v -> awaitIdle(System.currentTimeMillis() + backendBound))
        .compose(v -> audit.drain(AUDIT_DRAIN_MILLIS))
        .compose(v -> closeQuietly())
        .onComplete(v -> LOG.info("Order Gate stopped"));
    return stopping;
  }

  /** Completes once no request is in flight, or at the deadline. */
  private Future<Void> awaitIdle(long deadline) {
    if (handler == null) {
      return Future.succeededFuture();
    }
    Promise<Void> idle = Promise.promise();
    checkIdle(deadline, idle);
    return idle.future();
  }

  private void checkIdle(long deadline, Promise<Void> idle) {
    int left = handler.inFlight();
    if (left == 0) {
      LOG.info("No request in flight");
      idle.complete();
    } else if (System.currentTimeMillis() > deadline) {
      LOG.warn("Drain deadline reached with {} requests still in flight", left);
      idle.complete();
    } else {
      vertx.setTimer(10, id -> checkIdle(deadline, idle));
    }
  }

  private Future<Void> closeQuietly() {
    if (dbCheckTimer >= 0) {
      vertx.cancelTimer(dbCheckTimer);
    }
    List<Future<?>> closing = new ArrayList<>();
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
    return Future.join(closing).transform(ar -> pool == null ? Future.succeededFuture() : pool.close())
        .transform(ar -> Future.succeededFuture());
  }
}
