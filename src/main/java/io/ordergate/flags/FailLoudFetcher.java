package io.ordergate.flags;

import io.getunleash.UnleashException;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.repository.FeatureFetcher;

/**
 * Turns an "unavailable" answer (401, 404, 429, 5xx) into an exception. The SDK backs off on such
 * answers by skipping up to 300 polls, which at our sub-second interval means minutes without
 * flags: a kill would be missed that long. Exceptions are reported but never skip a poll.
 */
final class FailLoudFetcher implements FeatureFetcher {
  private static final java.util.regex.Pattern REVISION =
      java.util.regex.Pattern.compile("\"revisionId\"\\s*:\\s*(\\d+)");

  private final FeatureFetcher delegate;
  private volatile long revisionId = -1;

  FailLoudFetcher(FeatureFetcher delegate) {
    this.delegate = delegate;
  }

  @Override
  public ClientFeaturesResponse fetchFeatures() throws UnleashException {
    ClientFeaturesResponse response = delegate.fetchFeatures();
    if (response.getStatus() == ClientFeaturesResponse.Status.UNAVAILABLE) {
      String where = response.getLocation() == null ? "" : " (" + response.getLocation() + ")";
      throw new UnleashException(
          "flag source answered HTTP " + response.getHttpStatusCode() + where, null);
    }
    if (response.getStatus() == ClientFeaturesResponse.Status.CHANGED) {
      response
          .getClientFeatures()
          .map(REVISION::matcher)
          .filter(java.util.regex.Matcher::find)
          .ifPresent(m -> revisionId = Long.parseLong(m.group(1)));
    }
    return response;
  }

  /** Unleash's revision id (its latest event id) of the flags last fetched, or -1 if unknown. */
  long revisionId() {
    return revisionId;
  }
}
