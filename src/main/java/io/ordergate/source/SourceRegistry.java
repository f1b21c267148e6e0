package io.ordergate.source;

import io.ordergate.db.ListenReconnect;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-memory view of the source registry. Reloaded when PostgreSQL notifies a change (so the {@code
 * sources} command reaches running gateways at once), again whenever the listening connection comes
 * back (notifications sent while it was down are lost), and on a timer as a safety net.
 */
public final class SourceRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(SourceRegistry.class);

  /** A hung query must not stop the reloads queued behind it for good. */
  private static final long LOAD_TIMEOUT_SECONDS = 10;

  private static final long LISTEN_RETRY_MILLIS = 2_000;

  private final Vertx vertx;
  private final SourceStore store;
  private final PgConnectOptions listenOptions;
  private final Duration refreshInterval;
  private final List<Consumer<Collection<Source>>> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<ApiKeys.Digest, Source> byKeyHash = Map.of();
  private volatile Map<String, Source> byId = Map.of();
  private PgSubscriber subscriber;
  private Future<Void> loading;
  private boolean reloadAgain;
  private long timerId = -1;
  private final AtomicBoolean reconnecting = new AtomicBoolean();
  private volatile boolean stopped;

  public SourceRegistry(
      Vertx vertx, SourceStore store, PgConnectOptions listenOptions, Duration refreshInterval) {
    this.vertx = vertx;
    this.store = store;
    this.listenOptions = listenOptions;
    this.refreshInterval = refreshInterval;
  }

  /** Loads the registry once and starts following changes. */
  public Future<Void> start() {
    return reload()
        .onSuccess(
            v -> {
              timerId = vertx.setPeriodic(refreshInterval.toMillis(), id -> reload());
              listen();
            });
  }

  private void listen() {
    PgSubscriber listening =
        PgSubscriber.subscriber(vertx, listenOptions)
            .reconnectPolicy(
                ListenReconnect.policy(
                    () -> stopped,
                    reconnecting,
                    LOG,
                    "Lost the connection that listens for registry changes; reconnecting (changes made meanwhile are reloaded)"));
    listening
        .channel(SourceStore.CHANNEL)
        .subscribeHandler(
            v -> {
              // A change notified while the connection was down is lost: reload what it missed.
              if (reconnecting.getAndSet(false)) {
                LOG.info("Listening for registry changes again; reloading the registry");
                reload();
              }
            })
        .handler(
            sourceId -> {
              LOG.info("Source registry changed ({}); reloading", sourceId);
              reload();
            });
    subscriber = listening;
    listening
        .connect()
        .onFailure(
            e -> {
              // The subscriber retries only a connection it once had: try a new one later.
              LOG.warn(
                  "Cannot listen for registry changes yet ({}); retrying, the periodic refresh"
                      + " covers the gap",
                  e.getMessage());
              listening.close();
              reconnecting.set(true);
              vertx.setTimer(
                  LISTEN_RETRY_MILLIS,
                  id -> {
                    if (!stopped) {
                      listen();
                    }
                  });
            });
  }

  /**
   * Reloads the registry. Reloads never overlap: one asked for while another runs happens right
   * after it, so an older snapshot can never overwrite a newer one (a rotated key never comes
   * back).
   */
  public synchronized Future<Void> reload() {
    if (loading != null) {
      reloadAgain = true;
      return loading;
    }
    Future<Void> load =
        store
            .load()
            .timeout(LOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .map(
                snapshot -> {
                  apply(snapshot);
                  return (Void) null;
                })
            .onFailure(
                e ->
                    LOG.warn(
                        "Source registry reload failed, keeping the last known registry: {}",
                        e.getMessage()));
    loading = load;
    load.onComplete(ar -> reloaded()); // after the assignment, in case the load already failed
    return load;
  }

  private synchronized void reloaded() {
    loading = null;
    if (reloadAgain) {
      reloadAgain = false;
      reload();
    }
  }

  private void apply(SourceStore.Snapshot snapshot) {
    Map<ApiKeys.Digest, Source> keys = new HashMap<>();
    snapshot
        .sourceIdByKeyHash()
        .forEach(
            (hash, id) -> {
              Source s = snapshot.sources().get(id);
              if (s == null) {
                return;
              }
              try {
                keys.put(ApiKeys.Digest.ofHex(hash), s);
              } catch (IllegalArgumentException e) {
                LOG.warn("Ignoring a key of source {}: its stored hash is not hex SHA-256", id);
              }
            });
    boolean changed = !snapshot.sources().equals(byId) || !keys.keySet().equals(byKeyHash.keySet());
    byKeyHash = Map.copyOf(keys);
    byId = snapshot.sources();
    if (changed) {
      LOG.info("Source registry: {} sources, {} keys", byId.size(), byKeyHash.size());
      listeners.forEach(l -> l.accept(byId.values()));
    }
  }

  /** The source an API key belongs to, or null. Hashes the key: a few hundred nanoseconds. */
  public Source byKey(String apiKey) {
    return byKeyHash.get(ApiKeys.Digest.of(apiKey));
  }

  public Source byId(String id) {
    return byId.get(id);
  }

  /** The source's share of the order system's capacity; the default for an unknown source. */
  public int share(String id) {
    Source s = byId.get(id);
    return s == null ? Source.DEFAULT_SHARE : s.share();
  }

  public Collection<Source> all() {
    return byId.values();
  }

  /** Called with the full source list after every change. */
  public void onChange(Consumer<Collection<Source>> listener) {
    listeners.add(listener);
  }

  public Future<Void> stop() {
    stopped = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }
}
