package io.ordergate.config;

import java.net.URI;

/** What the kill/revive/status commands need to reach the Unleash Admin API. */
public record AdminSettings(
    URI adminUrl,
    String adminToken,
    String project,
    String environment,
    String flagPrefix,
    String globalFlag) {

  public static final String ADMIN_URL = "UNLEASH_ADMIN_URL";
  public static final String ADMIN_TOKEN = "UNLEASH_ADMIN_TOKEN";
  public static final String PROJECT = "UNLEASH_PROJECT";

  public AdminSettings {
    String base = adminUrl.toString().replaceAll("/+$", "");
    adminUrl = URI.create(base.endsWith("/api") ? base.substring(0, base.length() - 4) : base);
  }

  public static AdminSettings from(Env env) {
    URI url =
        env.httpUrl(ADMIN_URL)
            .or(() -> env.httpUrl(UnleashSettings.URL))
            .orElseThrow(
                () ->
                    new ConfigException(
                        ADMIN_URL,
                        "is required: the Unleash server URL, e.g. http://127.0.0.1:4242"));
    return new AdminSettings(
        url,
        env.required(ADMIN_TOKEN, "an Unleash admin API token or personal access token"),
        env.string(PROJECT, "default"),
        env.string(UnleashSettings.ENVIRONMENT, "production"),
        GatewayConfig.flagPrefix(env),
        GatewayConfig.globalFlag(env));
  }
}
