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
  private final FeatureFetcher delegate;

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
    return response;
  }
}
