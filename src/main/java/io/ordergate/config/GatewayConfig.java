package io.ordergate.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Everything {@code serve} needs, read once from the environment. */
public record GatewayConfig(
    String bindHost,
    int trafficPort,
    int opsPort,
    String environment,
    URI backendUrl,
    String opsToken,
    int maxBodyBytes,
    boolean acceptUnflagged,
    String flagPrefix,
    String globalFlag,
    int retryAfterSeconds,
    Duration sourcesRefresh,
    Duration shutdownTimeout,
    int eventLoops,
    DatabaseSettings database,
    UnleashSettings unleash,
    ResilienceSettings resilience,
    AuditSettings audit,
    IdempotencySettings idempotency,
    CleanupSettings cleanup,
    QuarantineSettings quarantine,
    Optional<String> webhookToken,
    RuntimeSettings runtime,
    LimitSettings limits,
    FloodSettings flood) {

  public static final String ENVIRONMENT = "ORDERGATE_ENVIRONMENT";
  public static final String BACKEND_URL = "ORDERGATE_BACKEND_URL";
  public static final String OPS_TOKEN = "ORDERGATE_OPS_TOKEN";
  public static final String FLAG_PREFIX = "ORDERGATE_FLAG_PREFIX";
  public static final String GLOBAL_FLAG = "ORDERGATE_GLOBAL_FLAG";
  public static final String WEBHOOK_TOKEN = "ORDERGATE_WEBHOOK_TOKEN";

  /**
   * The order system's base URL, as the gateway and the {@code quarantine release} command both
   * read it.
   */
  public static URI backendUrl(Env env) {
    URI url =
        env.requiredHttpUrl(BACKEND_URL, "the order system's base URL, e.g. http://orders:8080");
    if (url.getRawQuery() != null) {
      throw new ConfigException(BACKEND_URL, "must not carry a query string");
    }
    return url;
  }

  /** The per-source flag prefix, as the gateway and the CLI both read it. */
  public static String flagPrefix(Env env) {
    return env.string(FLAG_PREFIX, "order-source.");
  }

  /** The flag that stops every source, as the gateway and the CLI both read it. */
  public static String globalFlag(Env env) {
    return env.string(GLOBAL_FLAG, "order-intake");
  }

  public GatewayConfig {
    if (trafficPort == opsPort && trafficPort != 0) {
      throw new ConfigException(
          "ORDERGATE_OPS_PORT", "must differ from ORDERGATE_HTTP_PORT (" + trafficPort + ")");
    }
    if (!environment.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new ConfigException(
          ENVIRONMENT,
          "must be a short name such as production or staging, was '" + environment + "'");
    }
    if (opsToken.length() < 16) {
      throw new ConfigException(OPS_TOKEN, "must be at least 16 characters");
    }
    if (webhookToken.isPresent() && webhookToken.get().length() < 16) {
      throw new ConfigException(WEBHOOK_TOKEN, "must be at least 16 characters");
    }
  }

  public static GatewayConfig from(Env env) {
    ResilienceSettings resilience = ResilienceSettings.from(env);
    int maxBodyBytes = env.integer("ORDERGATE_MAX_BODY_BYTES", 1_048_576, 1, 64 * 1_048_576);
    return new GatewayConfig(
        env.string("ORDERGATE_BIND_HOST", "0.0.0.0"),
        env.integer("ORDERGATE_HTTP_PORT", 8080, 0, 65535),
        env.integer("ORDERGATE_OPS_PORT", 8090, 0, 65535),
        env.required(ENVIRONMENT, "the environment this gateway guards, e.g. production"),
        backendUrl(env),
        env.required(OPS_TOKEN, "the bearer token for /ops endpoints"),
        maxBodyBytes,
        env.oneOf("ORDERGATE_UNFLAGGED_SOURCES", "accept", Set.of("accept", "reject"))
            .equals("accept"),
        flagPrefix(env),
        globalFlag(env),
        env.integer("ORDERGATE_RETRY_AFTER_SECONDS", 30, 1, 86_400),
        env.millis("ORDERGATE_SOURCES_REFRESH_MS", 10_000, 100, 3_600_000),
        env.millis("ORDERGATE_SHUTDOWN_TIMEOUT_MS", 20_000, 0, 600_000),
        env.integer("ORDERGATE_EVENT_LOOPS", Runtime.getRuntime().availableProcessors(), 1, 256),
        DatabaseSettings.from(env),
        UnleashSettings.from(env),
        resilience,
        AuditSettings.from(env),
        IdempotencySettings.from(env, resilience.backendTimeout()),
        CleanupSettings.from(env),
        QuarantineSettings.from(env),
        env.optional(WEBHOOK_TOKEN).filter(t -> !t.isBlank()),
        RuntimeSettings.from(env),
        LimitSettings.from(env, maxBodyBytes),
        FloodSettings.from(env));
  }

  /** Never prints the ops token. */
  @Override
  public String toString() {
    return "GatewayConfig[environment="
        + environment
        + ", traffic="
        + bindHost
        + ":"
        + trafficPort
        + ", ops="
        + opsPort
        + ", backend="
        + backendUrl
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", unflagged="
        + (acceptUnflagged ? "accept" : "reject")
        + ", flags="
        + globalFlag
        + "/"
        + flagPrefix
        + "*, "
        + database
        + ", "
        + unleash
        + ", "
        + resilience
        + ", "
        + audit
        + ", "
        + idempotency
        + ", "
        + cleanup
        + ", "
        + quarantine
        + ", webhook="
        + (webhookToken.isPresent() ? "on" : "off")
        + ", "
        + runtime
        + ", "
        + limits
        + ", "
        + flood
        + "]";
  }
}
