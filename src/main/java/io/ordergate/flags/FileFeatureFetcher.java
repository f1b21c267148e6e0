package io.ordergate.flags;

import io.getunleash.UnleashException;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.repository.FeatureFetcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads flags in Unleash client-API format from a file on every poll, so that editing the file
 * kills a source without any server. Used by the demo when Node is not available.
 */
public final class FileFeatureFetcher implements FeatureFetcher {
  private final Path file;
  private String last;

  public FileFeatureFetcher(Path file) {
    this.file = file;
  }

  @Override
  public ClientFeaturesResponse fetchFeatures() throws UnleashException {
    String json;
    try {
      json = Files.readString(file);
    } catch (IOException e) {
      return ClientFeaturesResponse.unavailable(404, Optional.of(file.toString()));
    }
    if (json.equals(last)) {
      return ClientFeaturesResponse.notChanged();
    }
    last = json;
    return ClientFeaturesResponse.updated(json);
  }
}
