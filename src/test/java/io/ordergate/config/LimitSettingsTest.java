package io.ordergate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The replica's limits: defaults derived from the process, and settings that could not hold. */
class LimitSettingsTest {
  private static final long HEAP = 480L << 20;

  private static LimitSettings limits(Map<String, String> vars, long fdLimit) {
    return LimitSettings.from(new Env(vars), 1_048_576, fdLimit, HEAP);
  }

  @Test
  void theConnectionCapLeavesDescriptorsForTheOpsPortAndTheDatabase() {
    assertThat(limits(Map.of(), 1_048_576).maxConnections()).isEqualTo(10_000);
    assertThat(limits(Map.of(), 20_000).maxConnections()).isEqualTo(10_000);
    assertThat(limits(Map.of(), 8_192).maxConnections()).isEqualTo(8_192 - 1_024);
    assertThat(limits(Map.of(), 1_024).maxConnections()).isEqualTo(1_024 - 256);
    assertThat(limits(Map.of(), -1).maxConnections()).isEqualTo(10_000);
  }

  @Test
  void aCapThatWouldEatTheHeadroomIsRefusedNamingTheVariable() {
    assertThatThrownBy(() -> limits(Map.of("ORDERGATE_MAX_CONNECTIONS", "1000"), 1_024))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ORDERGATE_MAX_CONNECTIONS")
        .hasMessageContaining("at most 768");
    assertThat(limits(Map.of("ORDERGATE_MAX_CONNECTIONS", "768"), 1_024).maxConnections())
        .isEqualTo(768);
  }

  @Test
  void theBodyBufferDefaultsToAnEighthOfTheHeapAndHoldsAtLeastOneBody() {
    LimitSettings defaults = limits(Map.of(), 20_000);
    assertThat(defaults.bodyBufferBytes()).isEqualTo(HEAP / 8);
    assertThat(defaults.maxResponseBytes()).isEqualTo(1_048_576);
    assertThat(defaults.headerTimeout().toMillis()).isEqualTo(10_000);
    assertThat(defaults.requestTimeout().toMillis()).isEqualTo(30_000);
    assertThat(defaults.authFailuresPerMinute()).isEqualTo(600);
    assertThatThrownBy(() -> limits(Map.of("ORDERGATE_BODY_BUFFER_BYTES", "1000"), 20_000))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ORDERGATE_BODY_BUFFER_BYTES");
  }
}
