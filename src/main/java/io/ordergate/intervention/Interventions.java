package io.ordergate.intervention;

import io.ordergate.db.ListenReconnect;
import io.ordergate.decision.DecisionTable;
import io.ordergate.decision.Decisions;
import io.ordergate.decision.Overrule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's side of interventions: registers the replica, listens on {@link
 * InterventionStore#CHANNEL}, applies each intervention to the decision table at once and
 * acknowledges it, heart-beats what it enforces, and records when an Unleash change ends an
 * intervention. After the listening connection drops it reconnects and reloads everything in force
 * (notifications sent meanwhile are lost).
 */
public final class Interventions {
  private static final Logger LOG = LoggerFactory.getLogger(Interventions.class);
  private static final long HEARTBEAT_MILLIS = 1_000;
  private static final long RELOAD_RETRY_MILLIS = 1_000;

  /**
   * Applies a flag switched on or off (a webhook's Unleash event) before Unleash publishes it;
   * returns null when applied, else why not. See {@code UnleashFlags#applyProvisional}.
   */
  @FunctionalInterface
  public interface FlagSwitch {
    String apply(String flag, String environment, boolean enabled, long unleashEventId);
  }

  /** Where this replica listens, as the registry shows it. */
  public record Identity(String host, int trafficPort, int opsPort) {}

  private final Vertx vertx;
  private final InterventionStore store;
  private final ReplicaStore replicas;
  private final PgConnectOptions listenOptions;
  private final Decisions decisions;
  private final FlagRelay relay;
  private final String instanceId;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicBoolean reconnecting = new AtomicBoolean();
  private PgSubscriber subscriber;
  private long heartbeatTimer = -1;
  private volatile boolean stopped;

  public Interventions(
      Vertx vertx,
      InterventionStore store,
      ReplicaStore replicas,
      PgConnectOptions listenOptions,
      Decisions decisions,
      LongConsumer refreshFlags,
      FlagSwitch flagSwitch,
      BooleanSupplier flagsFromUnleash,
      String instanceId) {
    this.vertx = vertx;
    this.store = store;
    this.replicas = replicas;
    this.listenOptions = listenOptions;
    this.decisions = decisions;
    this.relay = new FlagRelay(store, refreshFlags, flagSwitch, instanceId);
    this.instanceId = instanceId;
    decisions.interventions(flagsFromUnleash, this::lapsed);
  }

  /**
   * Loads the interventions in force and starts listening. Call once the first decision table is
   * built, before the traffic port opens.
   */
  public Future<Void> start() {
    // Listen first: an intervention published meanwhile is either notified or in the reload.
    return listen().compose(v -> reload("at start"));
  }

  /** Registers this replica and starts heart-beating; call once the ports listen. */
  public Future<Void> register(Identity identity) {
    return replicas
        .register(instanceId, identity.host(), identity.trafficPort(), identity.opsPort())
        .onSuccess(
            v -> {
              heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MILLIS, id -> heartbeat());
              heartbeat();
              LOG.info(
                  "Registered as replica '{}' ({}:{} traffic, {} ops)",
                  instanceId,
                  identity.host(),
                  identity.trafficPort(),
                  identity.opsPort());
            });
  }

  /** This machine's name for the registry; may block on a name lookup. */
  public static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** The id of the latest intervention this replica applied; 0 before the first. */
  public long lastApplied() {
    return applied.get();
  }

  /**
   * Tells every replica (this one included) to fetch its flags now, until they reach Unleash
   * revision {@code unleashEventId} (0: until anything newer arrives).
   */
  public Future<Void> refreshEverywhere(long unleashEventId) {
    return relay.refreshEverywhere(unleashEventId);
  }

  /** A webhook's event switched a flag on or off: see {@link FlagRelay#switchEverywhere}. */
  Future<Void> switchEverywhere(UnleashEvent event) {
    return relay.switchEverywhere(event);
  }

  public Future<Void> stop() {
    stopped = true;
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
    }
    Future<Void> unlisten = subscriber == null ? Future.succeededFuture() : subscriber.close();
    return unlisten
        .transform(ar -> heartbeatTimer < 0 ? Future.succeededFuture() : replicas.stop(instanceId))
        .transform(ar -> Future.succeededFuture());
  }

  private Future<Void> listen() {
    subscriber =
        PgSubscriber.subscriber(vertx, listenOptions)
            .reconnectPolicy(
                ListenReconnect.policy(
                    () -> stopped,
                    reconnecting,
                    LOG,
                    "Lost the connection that listens for interventions; reconnecting (interventions published meanwhile are reloaded)"));
    subscriber
        .channel(InterventionStore.CHANNEL)
        .subscribeHandler(
            v -> {
              if (reconnecting.getAndSet(false)) {
                LOG.info("Listening for interventions again; reloading those in force");
                reloadAfterReconnect();
              }
            })
        .handler(this::notified);
    return subscriber.connect();
  }

  /**
   * Nothing else brings back an intervention published while the connection was down: retry the
   * reload until it succeeds, unless the connection drops again (its reconnect reloads then).
   */
  private void reloadAfterReconnect() {
    reload("after reconnecting")
        .onFailure(
            e -> {
              if (!stopped && !reconnecting.get()) {
                vertx.setTimer(RELOAD_RETRY_MILLIS, id -> reloadAfterReconnect());
              }
            });
  }

  private void notified(String payload) {
    if (relay.handles(payload)) {
      return;
    }
    long id;
    try {
      id = Long.parseLong(payload);
    } catch (NumberFormatException e) {
      LOG.warn("Ignoring a notification on {}: '{}'", InterventionStore.CHANNEL, payload);
      return;
    }
    long received = System.nanoTime();
    store
        .byId(id)
        .compose(i -> i == null ? Future.succeededFuture() : apply(i, received))
        .onFailure(
            e ->
                LOG.warn(
                    "Cannot apply intervention #{} yet ({}); retrying on the next reload",
                    id,
                    e.getMessage()));
  }

  private Future<Void> apply(Intervention i, long receivedNanos) {
    DecisionTable table = decisions.overrule(i.sourceId(), i.overrule(), "applied intervention");
    applied.accumulateAndGet(i.id(), Math::max);
    LOG.info(
        "Applied {} on source '{}': this replica now {} ({}); Unleash change with it: {} [decision revision {}, {} ms after it arrived]",
        i.summary(),
        i.sourceId(),
        i.action().effect(),
        table.forSource(i.sourceId()).verdict(),
        i.unleashChange().isBlank() ? "none" : i.unleashChange(),
        table.revision(),
        (System.nanoTime() - receivedNanos) / 1_000_000);
    recordBaseline(i); // beside the acknowledgement, not before it
    return store.ack(i.id(), instanceId);
  }

  /** Puts exactly the interventions in force in the database in force here, and acknowledges. */
  private Future<Void> reload(String when) {
    return store
        .inForce()
        .compose(
            all -> {
              Map<String, Overrule> bySource = new HashMap<>();
              all.forEach(i -> bySource.put(i.sourceId(), i.overrule()));
              decisions.replaceOverrules(bySource, "interventions in force loaded " + when);
              if (!all.isEmpty()) {
                LOG.info(
                    "Interventions in force {}: {}",
                    when,
                    String.join(
                        "; ", all.stream().map(i -> i.summary() + " on " + i.sourceId()).toList()));
              }
              all.forEach(i -> applied.accumulateAndGet(i.id(), Math::max));
              List<Future<Void>> acks =
                  all.stream()
                      .map(i -> recordBaseline(i).compose(v -> store.ack(i.id(), instanceId)))
                      .toList();
              return Future.all(acks).<Void>mapEmpty();
            })
        .onFailure(
            e -> LOG.warn("Cannot load the interventions in force {}: {}", when, e.getMessage()));
  }

  /** The first replica to apply an intervention records the Unleash state it overrides. */
  private Future<Void> recordBaseline(Intervention i) {
    Overrule applied = decisions.overrules().get(i.sourceId());
    if (i.baseline() != null
        || applied == null
        || applied.interventionId() != i.id()
        || applied.baseline() == null) {
      return Future.succeededFuture();
    }
    return store
        .setBaseline(i.id(), applied.baseline())
        .recover(
            e -> {
              LOG.warn(
                  "Cannot record the Unleash state intervention #{} overrides: {}",
                  i.id(),
                  e.getMessage());
              return Future.succeededFuture();
            });
  }

  private void lapsed(Decisions.Lapsed l) {
    String change =
        "flag '"
            + decisions.policy().flagFor(l.sourceId())
            + "' changed in Unleash to "
            + l.unleash().describe()
            + " (seen by "
            + instanceId
            + ")";
    LOG.info(
        "Intervention #{} on source '{}' ends: {}; Unleash rules again",
        l.overrule().interventionId(),
        l.sourceId(),
        change);
    store
        .supersede(l.overrule().interventionId(), change)
        .onFailure(
            e ->
                LOG.warn(
                    "Cannot record the end of intervention #{}: {}",
                    l.overrule().interventionId(),
                    e.getMessage()));
  }

  private void heartbeat() {
    if (stopped) {
      return;
    }
    replicas
        .heartbeat(instanceId, applied.get(), EnforcedState.of(decisions.current()))
        .onFailure(e -> LOG.debug("Heartbeat failed: {}", e.getMessage()));
  }
}
