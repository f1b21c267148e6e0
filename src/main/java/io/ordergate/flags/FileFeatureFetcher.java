package io.ordergate.flags;

import io.getunleash.UnleashException;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.repository.FeatureFetcher;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads flags in Unleash client-API format from a file on every poll, so that editing the file
 * kills a source without any server. Used by the demo when Node is not available.
 */
final class FileFeatureFetcher implements FeatureFetcher {
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
    if (!looksLikeClientFeatures(json)) {
      // Not remembered: the next poll reports it again instead of "not changed" (and so "healthy").
      throw new UnleashException(
          file + " is not Unleash client-API JSON with a \"features\" array", null);
    }
    last = json;
    return ClientFeaturesResponse.updated(json);
  }

  private static boolean looksLikeClientFeatures(String json) {
    try {
      return new JsonObject(json).getValue("features") instanceof JsonArray;
    } catch (DecodeException e) {
      return false;
    }
  }
}
