package io.ordergate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.config.Env;
import io.ordergate.config.FloodSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo banner says what an auto-trip will really do. */
class DemoBannerTest {
  private static String autoTrip(Map<String, String> env) {
    return DemoBanner.autoTrip(FloodSettings.from(new Env(env)));
  }

  @Test
  void byDefaultPerftestIsHeld() {
    assertThat(autoTrip(Map.of()))
        .startsWith("Auto-trip: perftest is held (202, stored in quarantine) when")
        .contains("100 writes/s");
  }

  @Test
  void theTripActionIsNamed() {
    assertThat(autoTrip(Map.of("ORDERGATE_TRIP_ACTION", "kill")))
        .startsWith("Auto-trip: perftest is refused (503)");
    assertThat(autoTrip(Map.of("ORDERGATE_TRIP_ACTION", "throttle")))
        .startsWith("Auto-trip: perftest is throttled");
  }

  @Test
  void inShadowModeNothingIsHeld() {
    String text =
        autoTrip(Map.of("ORDERGATE_TRIP_MODE", "shadow", "ORDERGATE_TRIP_ACTION", "kill"));
    assertThat(text)
        .startsWith("Auto-trip rehearsal (ORDERGATE_TRIP_MODE=shadow): perftest keeps flowing")
        .contains("(would-kill)")
        .doesNotContain("is held", "is refused");
  }
}
