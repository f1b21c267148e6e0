package io.ordergate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayConfigTest {
  private static final String OPS_TOKEN = "ops-token-0123456789";

  private static Map<String, String> valid() {
    Map<String, String> vars = new HashMap<>();
    vars.put("ORDERGATE_ENVIRONMENT", "production");
    vars.put("ORDERGATE_BACKEND_URL", "http://orders:8080");
    vars.put("ORDERGATE_OPS_TOKEN", OPS_TOKEN);
    vars.put("ORDERGATE_DATABASE_URL", "postgresql://gate:s3cret-pw@db:5432/ordergate");
    vars.put("UNLEASH_URL", "http://unleash:4242/api/");
    vars.put("UNLEASH_API_TOKEN", "default:production.client-token");
    return vars;
  }

  private static GatewayConfig parse(Map<String, String> vars) {
    return GatewayConfig.from(new Env(vars));
  }

  private static Map<String, String> validWith(String name, String value) {
    Map<String, String> vars = valid();
    vars.put(name, value);
    return vars;
  }

  @Test
  void completeEnvironmentParsesWithDocumentedDefaults() {
    GatewayConfig config = parse(valid());

    assertThat(config.trafficPort()).isEqualTo(8080);
    assertThat(config.opsPort()).isEqualTo(8090);
    assertThat(config.maxBodyBytes()).isEqualTo(1_048_576);
    assertThat(config.acceptUnflagged()).isTrue();
    assertThat(config.flagPrefix()).isEqualTo("order-source.");
    assertThat(config.globalFlag()).isEqualTo("order-intake");
    assertThat(config.unleash().fetchInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.environment()).isEqualTo("production");
    assertThat(config.backendUrl()).isEqualTo(URI.create("http://orders:8080"));
    assertThat(config.opsToken()).isEqualTo(OPS_TOKEN);
    assertThat(config.unleash().fileBacked()).isFalse();
  }

  @Test
  void tripModeIsEnforceUnlessSetToShadow() {
    assertThat(parse(valid()).flood().tripMode()).isEqualTo(FloodSettings.TripMode.ENFORCE);
    assertThat(parse(validWith("ORDERGATE_TRIP_MODE", "shadow")).flood().tripMode())
        .isEqualTo(FloodSettings.TripMode.SHADOW);
    assertThat(parse(validWith("ORDERGATE_TRIP_MODE", "Enforce")).flood().tripMode())
        .isEqualTo(FloodSettings.TripMode.ENFORCE);
  }

  @Test
  void unflaggedSourcesCanBeRejected() {
    assertThat(parse(validWith("ORDERGATE_UNFLAGGED_SOURCES", "reject")).acceptUnflagged())
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ORDERGATE_ENVIRONMENT",
        "ORDERGATE_BACKEND_URL",
        "ORDERGATE_OPS_TOKEN",
        "ORDERGATE_DATABASE_URL"
      })
  void missingRequiredVariableIsNamed(String name) {
    Map<String, String> vars = valid();
    vars.remove(name);

    assertThatThrownBy(() -> parse(vars))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(name + " ");
  }

  @Test
  void blankRequiredVariableCountsAsMissing() {
    assertThatThrownBy(() -> parse(validWith("ORDERGATE_ENVIRONMENT", "  ")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("ORDERGATE_ENVIRONMENT ");
  }

  private Map<String, String> withoutUnleashServer() {
    Map<String, String> vars = valid();
    vars.remove("UNLEASH_URL");
    vars.remove("UNLEASH_API_TOKEN");
    return vars;
  }

  @Test
  void unleashUrlIsRequiredWithoutAFlagsFile() {
    Map<String, String> vars = withoutUnleashServer();

    assertThatThrownBy(() -> parse(vars))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("UNLEASH_URL ");
  }

  @Test
  void aFlagsFileReplacesTheUnleashUrl() {
    Map<String, String> vars = withoutUnleashServer();
    vars.put("UNLEASH_FLAGS_FILE", "flags/bootstrap.json");

    assertThat(parse(vars).unleash().fileBacked()).isTrue();
  }

  @Test
  void gatewaysOfDifferentEnvironmentsOnOneHostNeverShareABackupFile() {
    Map<String, String> staging = valid();
    staging.put("UNLEASH_ENVIRONMENT", "staging");
    assertThat(parse(valid()).unleash().backupFile())
        .isNotEqualTo(parse(staging).unleash().backupFile());
    assertThat(parse(staging).unleash().backupFile().getFileName().toString())
        .isEqualTo("unleash-backup-order-gate-staging.json");
  }

  @Test
  void aFlagsFileThatCannotBeReadIsAConfigurationError() {
    Map<String, String> vars = withoutUnleashServer();
    vars.put("UNLEASH_FLAGS_FILE", "no/such/flags.json");

    assertThatThrownBy(() -> parse(vars))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("UNLEASH_FLAGS_FILE ")
        .hasMessageContaining("no/such/flags.json");
  }

  @Test
  void aBootstrapFileAloneDoesNotReplaceTheUnleashUrl() {
    Map<String, String> vars = withoutUnleashServer();
    vars.put("UNLEASH_BOOTSTRAP_FILE", "flags/bootstrap.json");

    assertThatThrownBy(() -> parse(vars))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("UNLEASH_URL ");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "ORDERGATE_HTTP_PORT, abc",
    "ORDERGATE_HTTP_PORT, 70000",
    "ORDERGATE_OPS_PORT, -1",
    "ORDERGATE_MAX_BODY_BYTES, 0",
    "ORDERGATE_UNFLAGGED_SOURCES, maybe",
    "ORDERGATE_BACKEND_URL, ftp://orders:21",
    "ORDERGATE_BACKEND_URL, orders:8080",
    "ORDERGATE_BACKEND_URL, http://orders:8080/?debug=1",
    "ORDERGATE_DATABASE_URL, mysql://gate:pw@db:3306/ordergate",
    "ORDERGATE_OPS_TOKEN, too-short",
    "ORDERGATE_ENVIRONMENT, prod env with spaces",
    "UNLEASH_FETCH_INTERVAL_MS, 10",
    "ORDERGATE_TRIP_MODE, dry-run",
    "ORDERGATE_BACKEND_PIPELINING_LIMIT, 0",
    "ORDERGATE_BACKEND_PIPELINING_LIMIT, 65",
    "ORDERGATE_BACKEND_PIPELINING_LIMIT, on",
  })
  void invalidValueIsRejectedNamingTheVariable(String name, String value) {
    assertThatThrownBy(() -> parse(validWith(name, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(name + " ");
  }

  @Test
  void backendPipeliningIsOffUnlessALimitAboveOneIsSet() {
    assertThat(parse(valid()).resilience().pipeliningLimit()).isEqualTo(1);
    assertThat(parse(valid()).resilience().pipelining()).isFalse();
    assertThat(parse(validWith("ORDERGATE_BACKEND_PIPELINING_LIMIT", "16")).resilience())
        .satisfies(r -> assertThat(r.pipeliningLimit()).isEqualTo(16))
        .satisfies(r -> assertThat(r.pipelining()).isTrue());
  }

  @Test
  void unleashUrlWithoutApiTokenNamesTheToken() {
    Map<String, String> vars = valid();
    vars.remove("UNLEASH_API_TOKEN");

    assertThatThrownBy(() -> parse(vars))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("UNLEASH_API_TOKEN ");
  }

  @Test
  void trafficAndOpsOnTheSamePortAreRejected() {
    Map<String, String> vars = valid();
    vars.put("ORDERGATE_HTTP_PORT", "9000");
    vars.put("ORDERGATE_OPS_PORT", "9000");

    assertThatThrownBy(() -> parse(vars))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("ORDERGATE_OPS_PORT ")
        .hasMessageContaining("ORDERGATE_HTTP_PORT");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://h:4242",
        "http://h:4242/",
        "http://h:4242/api",
        "http://h:4242/api/",
        "http://h:4242/api//"
      })
  void unleashUrlIsNormalisedToTheClientApiRoot(String url) {
    assertThat(parse(validWith("UNLEASH_URL", url)).unleash().url())
        .contains(URI.create("http://h:4242/api/"));
  }

  @Test
  void databaseSettingsNeverPrintThePassword() {
    DatabaseSettings db = parse(valid()).database();

    assertThat(db.toString())
        .doesNotContain("s3cret-pw")
        .contains("gate")
        .contains("db:5432/ordergate");
  }

  @Test
  void databaseSettingsNeverPrintAPasswordGivenAsQueryParameter() {
    DatabaseSettings db =
        new DatabaseSettings("postgresql://gate@db:5432/ordergate?password=s3cret-pw", 4);

    assertThat(db.toString()).doesNotContain("s3cret-pw");
  }

  @Test
  void theControlPoolHasItsOwnSizeTwoByDefault() {
    assertThat(parse(valid()).database().controlPoolSize()).isEqualTo(2);
    assertThat(parse(validWith("ORDERGATE_DATABASE_CONTROL_POOL_SIZE", "3")).database())
        .extracting(DatabaseSettings::poolSize, DatabaseSettings::controlPoolSize)
        .containsExactly(4, 3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "21", "two"})
  void aBadControlPoolSizeNamesTheVariable(String value) {
    assertThatThrownBy(() -> parse(validWith("ORDERGATE_DATABASE_CONTROL_POOL_SIZE", value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("ORDERGATE_DATABASE_CONTROL_POOL_SIZE ");
  }
}
