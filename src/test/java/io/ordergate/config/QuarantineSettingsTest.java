package io.ordergate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quarantine's paces: release rate and the cap on held orders per source. */
class QuarantineSettingsTest {
  private static QuarantineSettings of(Map<String, String> vars) {
    return QuarantineSettings.from(new Env(vars));
  }

  @Test
  void heldOrdersAreCappedPerSourceByDefaultAndTheCapCanBeSetOrTurnedOff() {
    assertThat(of(Map.of()).holdRatePerSecond()).isEqualTo(200);
    assertThat(of(Map.of()).holdRateCapped()).isTrue();
    assertThat(of(Map.of()).releaseRatePerSecond()).isEqualTo(20);
    assertThat(of(Map.of("ORDERGATE_QUARANTINE_HOLD_RATE", "50")).holdRatePerSecond())
        .isEqualTo(50);
    QuarantineSettings off = of(Map.of("ORDERGATE_QUARANTINE_HOLD_RATE", " OFF "));
    assertThat(off.holdRatePerSecond()).isZero();
    assertThat(off.holdRateCapped()).isFalse();
  }

  @Test
  void aHoldRateThatIsNotOneIsRefusedNamingTheVariable() {
    for (String bad : new String[] {"0", "-3", "10001", "fast", "2.5"}) {
      assertThatThrownBy(() -> of(Map.of("ORDERGATE_QUARANTINE_HOLD_RATE", bad)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("ORDERGATE_QUARANTINE_HOLD_RATE")
          .hasMessageContaining("off or")
          .hasMessageContaining("'" + bad + "'");
    }
  }
}
