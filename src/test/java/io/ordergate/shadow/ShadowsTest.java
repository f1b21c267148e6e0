package io.ordergate.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordergate.decision.Shadow;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ShadowsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Shadows shadows =
      new Shadows(registry, Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"), ZoneOffset.UTC));

  private double counted(String source, String decision) {
    var counter =
        registry.find("ordergate.shadow").tag("source", source).tag("decision", decision).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aShadowKillOrHoldCountsEveryWrite() {
    for (int i = 0; i < 3; i++) {
      assertThat(shadows.observe("perftest", new Shadow(Shadow.Action.KILL, 0)))
          .isEqualTo("would-reject");
    }
    assertThat(shadows.observe("web", new Shadow(Shadow.Action.HOLD, 0)))
        .isEqualTo("would-quarantine");
    assertThat(counted("perftest", "would-reject")).isEqualTo(3);
    assertThat(counted("web", "would-quarantine")).isEqualTo(1);
  }

  @Test
  void aShadowThrottleCountsOnlyWritesBeyondTheRate() {
    Shadow throttle = new Shadow(Shadow.Action.THROTTLE, 2);
    assertThat(shadows.observe("partner", throttle)).isNull();
    assertThat(shadows.observe("partner", throttle)).isNull();
    assertThat(shadows.observe("partner", throttle)).isEqualTo("would-throttle");
    assertThat(shadows.observe("partner", throttle)).isEqualTo("would-throttle");
    assertThat(counted("partner", "would-throttle")).isEqualTo(2);
  }
}
