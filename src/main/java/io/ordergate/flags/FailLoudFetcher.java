package io.ordergate.flags;

import io.getunleash.UnleashException;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.repository.FeatureFetcher;

/**
 * Turns an "unavailable" answer (401, 404, 429, 5xx) into an exception. The SDK backs off on such
 * answers by skipping up to 300 polls, which at our sub-second interval means minutes without
 * flags: a kill would be missed that long. Exceptions are reported but never skip a poll.
 *
 * <p>Also lays a webhook's flag switches over the flags fetched ({@link ProvisionalFlags}).
 */
final class FailLoudFetcher implements FeatureFetcher {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(FailLoudFetcher.class);
  private static final java.util.regex.Pattern REVISION =
      java.util.regex.Pattern.compile("\"revisionId\"\\s*:\\s*(\\d+)");

  private final FeatureFetcher delegate;
  private final ProvisionalFlags provisional = new ProvisionalFlags();
  private volatile long revisionId = -1;
  private String fetched; // the flags last fetched, as Unleash sent them
  private boolean deliver; // a provisional state waits for the next "fetch"
  private volatile boolean lastProvisional;
  // The webhook events whose states were last handed to the SDK, by flag.
  private volatile java.util.Map<String, Long> handedEvents = java.util.Map.of();

  FailLoudFetcher(FeatureFetcher delegate) {
    this.delegate = delegate;
  }

  @Override
  public ClientFeaturesResponse fetchFeatures() throws UnleashException {
    synchronized (this) {
      if (deliver) {
        // A webhook's state, handed to the SDK without asking Unleash: the next fetch asks.
        deliver = false;
        lastProvisional = true;
        handedEvents = provisional.eventIds();
        return ClientFeaturesResponse.updated(provisional.overlay(fetched));
      }
      lastProvisional = false;
    }
    // Unlocked: offer() runs on an event loop and must never wait for Unleash's answer.
    ClientFeaturesResponse response = delegate.fetchFeatures();
    if (response.getStatus() == ClientFeaturesResponse.Status.UNAVAILABLE) {
      String where = response.getLocation() == null ? "" : " (" + response.getLocation() + ")";
      throw new UnleashException(
          "flag source answered HTTP " + response.getHttpStatusCode() + where, null);
    }
    return fetched(response);
  }

  private synchronized ClientFeaturesResponse fetched(ClientFeaturesResponse response) {
    boolean changed = response.getStatus() == ClientFeaturesResponse.Status.CHANGED;
    if (changed) {
      response
          .getClientFeatures()
          .map(REVISION::matcher)
          .filter(java.util.regex.Matcher::find)
          .ifPresent(m -> revisionId = Long.parseLong(m.group(1)));
      fetched = response.getClientFeatures().orElse(null);
    }
    if (provisional.isEmpty()) {
      handedEvents = java.util.Map.of();
      return response;
    }
    boolean dropped = provisional.settle(revisionId);
    if (fetched != null && (changed || dropped)) {
      handedEvents = provisional.eventIds();
      return ClientFeaturesResponse.updated(
          provisional.isEmpty() ? fetched : provisional.overlay(fetched));
    }
    return response;
  }

  /**
   * Lays {@code enabled} over the flag fetched until a fetch reaches Unleash revision {@code
   * eventId}; the SDK gets it at its next poll (call one at once).
   *
   * @return null when taken, else why not
   */
  synchronized String offer(String flag, boolean enabled, long eventId) {
    String refused = provisional.offer(fetched, revisionId, flag, enabled, eventId);
    if (refused == null) {
      deliver = true;
      LOG.info(
          "Flag '{}' {} by Unleash event #{} (webhook): applied now, until Unleash publishes it",
          flag,
          enabled ? "on" : "off",
          eventId);
    }
    return refused;
  }

  /** True when the last "fetch" handed over a webhook's state and did not ask Unleash. */
  boolean lastProvisional() {
    return lastProvisional;
  }

  /**
   * The Unleash revision the flag's state as handed to the SDK reflects: the flags fetched, or a
   * webhook's later event of that flag laid over them; {@code Long.MAX_VALUE} (current) when the
   * flags carry no revision (a flags file, an Unleash that sends none).
   */
  long revisionOf(String flag) {
    long fetchedRevision = revisionId;
    return fetchedRevision < 0
        ? Long.MAX_VALUE
        : Math.max(fetchedRevision, handedEvents.getOrDefault(flag, -1L));
  }

  /** Unleash's revision id (its latest event id) of the flags last fetched, or -1 if unknown. */
  long revisionId() {
    return revisionId;
  }
}
