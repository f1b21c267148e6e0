package io.ordergate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the gateway reads its flags. With {@code url} absent the flags come from {@code flagsFile},
 * re-read on every poll (the demo's fallback when Node is not installed).
 */
public record UnleashSettings(
    Optional<URI> url,
    String apiToken,
    String appName,
    String instanceId,
    Duration fetchInterval,
    Path backupFile,
    Optional<Path> bootstrapFile,
    Optional<Path> flagsFile,
    String environment) {

  public static final String URL = "UNLEASH_URL";
  public static final String API_TOKEN = "UNLEASH_API_TOKEN";
  public static final String APP_NAME = "UNLEASH_APP_NAME";
  public static final String FETCH_INTERVAL = "UNLEASH_FETCH_INTERVAL_MS";
  public static final String BACKUP_FILE = "UNLEASH_BACKUP_FILE";
  public static final String BOOTSTRAP_FILE = "UNLEASH_BOOTSTRAP_FILE";
  public static final String FLAGS_FILE = "UNLEASH_FLAGS_FILE";
  public static final String ENVIRONMENT = "UNLEASH_ENVIRONMENT";
  public static final String INSTANCE_ID = "ORDERGATE_INSTANCE_ID";

  public UnleashSettings {
    if (url.isPresent() && apiToken.isBlank()) {
      throw new ConfigException(
          API_TOKEN, "is required when " + URL + " is set: a backend (client) token");
    }
    if (url.isEmpty() && flagsFile.isEmpty()) {
      throw new ConfigException(URL, "is required unless " + FLAGS_FILE + " names a flags file");
    }
    if (url.isEmpty() && !java.nio.file.Files.isReadable(flagsFile.get())) {
      throw new ConfigException(FLAGS_FILE, "names a file that cannot be read: " + flagsFile.get());
    }
    url = url.map(UnleashSettings::clientApi);
  }

  public static UnleashSettings from(Env env) {
    String appName = env.string(APP_NAME, "order-gate");
    String environment = env.string(ENVIRONMENT, "production");
    return new UnleashSettings(
        env.httpUrl(URL),
        env.string(API_TOKEN, ""),
        appName,
        env.optional(INSTANCE_ID)
            .or(() -> env.optional("HOSTNAME"))
            .orElse("order-gate-" + ProcessHandle.current().pid()),
        env.millis(FETCH_INTERVAL, 500, 100, 60_000),
        env.optional(BACKUP_FILE).map(Path::of).orElse(defaultBackupFile(appName, environment)),
        env.optional(BOOTSTRAP_FILE).map(Path::of),
        env.optional(FLAGS_FILE).map(Path::of),
        environment);
  }

  /**
   * Named after app and environment, so that two gateways on one host (staging and production, say)
   * never start from each other's flags.
   */
  static Path defaultBackupFile(String appName, String environment) {
    String name =
        ("unleash-backup-" + appName + "-" + environment + ".json")
            .replaceAll("[^A-Za-z0-9._-]", "_");
    return Path.of(System.getProperty("java.io.tmpdir"), "order-gate", name);
  }

  /**
   * The SDK wants the API root with a trailing slash ({@code .../api/}); accept the server's base
   * URL too.
   */
  static URI clientApi(URI uri) {
    String s = uri.toString().replaceAll("/+$", "");
    return URI.create((s.endsWith("/api") ? s : s + "/api") + "/");
  }

  public boolean fileBacked() {
    return url.isEmpty();
  }

  @Override
  public String toString() {
    return "UnleashSettings[url="
        + url.map(URI::toString)
            .orElse("(file " + flagsFile.map(Path::toString).orElse("bootstrap") + ")")
        + ", appName="
        + appName
        + ", instanceId="
        + instanceId
        + ", fetchInterval="
        + fetchInterval.toMillis()
        + "ms, backupFile="
        + backupFile
        + ", environment="
        + environment
        + "]";
  }
}
