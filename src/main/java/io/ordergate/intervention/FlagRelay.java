package io.ordergate.intervention;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's side of the intervention channel: passes Unleash's flag changes between replicas
 * ({@code refresh:} fetch now; {@code switch:} a flag switched on or off, apply it now).
 */
final class FlagRelay {
  private static final Logger LOG = LoggerFactory.getLogger(FlagRelay.class);

  private final InterventionStore store;
  private final LongConsumer refreshFlags;
  private final Interventions.FlagSwitch flagSwitch;
  private final String instanceId;

  FlagRelay(
      InterventionStore store,
      LongConsumer refreshFlags,
      Interventions.FlagSwitch flagSwitch,
      String instanceId) {
    this.store = store;
    this.refreshFlags = refreshFlags;
    this.flagSwitch = flagSwitch;
    this.instanceId = instanceId;
  }

  Future<Void> refreshEverywhere(long unleashEventId) {
    refreshFlags.accept(unleashEventId);
    return store.notifyRefresh(instanceId, unleashEventId);
  }

  /**
   * A webhook's event switched a flag on or off: apply it here at once (when it is for this
   * gateway's environment and a flag it has) and tell every other replica to do the same; all keep
   * fetching until Unleash publishes the event, and what it publishes rules.
   */
  Future<Void> switchEverywhere(UnleashEvent event) {
    switchHere(event, "webhook");
    return store.notifySwitch(instanceId, event);
  }

  /** Acts on a {@code refresh:} or {@code switch:} notification; false for any other. */
  boolean handles(String payload) {
    if (payload.startsWith(InterventionStore.SWITCH_PREFIX)) {
      try {
        JsonObject json =
            new JsonObject(payload.substring(InterventionStore.SWITCH_PREFIX.length()));
        UnleashEvent event = UnleashEvent.of(json);
        String from = json.getString(InterventionStore.SWITCH_FROM, "");
        if (!from.equals(instanceId) && event.switchesFlag()) {
          switchHere(event, from);
        }
      } catch (RuntimeException e) {
        LOG.warn("Ignoring a notification on {}: '{}'", InterventionStore.CHANNEL, payload);
      }
      return true;
    }
    if (payload.startsWith(InterventionStore.REFRESH_PREFIX)) {
      InterventionStore.Refresh r = InterventionStore.Refresh.parse(payload);
      if (!r.fromInstance().equals(instanceId)) {
        refreshFlags.accept(r.unleashEventId());
      }
      return true;
    }
    return false;
  }

  private void switchHere(UnleashEvent event, String via) {
    String refused =
        flagSwitch.apply(event.flag(), event.environment(), event.enabled(), event.id());
    if (refused != null) {
      LOG.info(
          "Unleash {} (via {}) not applied before Unleash publishes it: {}; fetching flags",
          event.describe(),
          via,
          refused);
      refreshFlags.accept(event.id());
    }
  }
}
