package io.ordergate.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeArgsTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  @Test
  void readsInstantsWithAZoneOrOffsetAsGiven() {
    assertThat(TimeArgs.parse("--since", "2026-11-28T10:00:00Z", NOW).instant())
        .isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
    assertThat(TimeArgs.parse("--since", "2026-11-28T11:00:00+01:00", NOW).instant())
        .isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
    assertThat(TimeArgs.parse("--since", "2026-11-28T10:00:00.123456Z", NOW).instant())
        .isEqualTo(Instant.parse("2026-11-28T10:00:00.123456Z"));
  }

  @Test
  void takesLocalTimesAndDatesAsUtcAndSaysSo() {
    TimeArgs.Resolved local = TimeArgs.parse("--since", "2026-11-28T10:00", NOW);
    assertThat(local.instant()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
    assertThat(local.how()).contains("UTC");
    assertThat(TimeArgs.parse("--since", "2026-11-28 10:00:30", NOW).instant())
        .isEqualTo(Instant.parse("2026-11-28T10:00:30Z"));
    TimeArgs.Resolved date = TimeArgs.parse("--since", "2026-11-27", NOW);
    assertThat(date.instant()).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
    assertThat(date.how()).contains("UTC");
  }

  @Test
  void readsDurationsAsThatLongAgo() {
    assertThat(TimeArgs.parse("--since", "2h", NOW).instant())
        .isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
    assertThat(TimeArgs.parse("--since", "30m", NOW).instant())
        .isEqualTo(Instant.parse("2026-11-28T11:30:00Z"));
    assertThat(TimeArgs.parse("--since", "1h30m", NOW).instant())
        .isEqualTo(Instant.parse("2026-11-28T10:30:00Z"));
    assertThat(TimeArgs.parse("--since", "2d", NOW).instant())
        .isEqualTo(Instant.parse("2026-11-26T12:00:00Z"));
    assertThat(TimeArgs.parse("--since", "90s", NOW).how()).isEqualTo("90s ago");
    assertThat(TimeArgs.parse("--until", "now", NOW).instant()).isEqualTo(NOW);
  }

  @Test
  void refusesAnythingElseNamingTheOptionAndTheFormats() {
    for (String bad : new String[] {"yesterday", "h", "2x", "-2h", "10:00", "2026-13-01", ""}) {
      assertThatThrownBy(() -> TimeArgs.parse("--since", bad, NOW))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--since");
    }
    assertThatThrownBy(() -> TimeArgs.parse("--since", "99999999999999999999d", NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWindowNeedsAValidSourceAndSinceBeforeUntil() {
    Instant a = Instant.parse("2026-11-28T10:00:00Z");
    assertThatThrownBy(() -> new CleanupWindow("perftest", a, a)).hasMessageContaining("before");
    assertThatThrownBy(() -> new CleanupWindow("Perf Test", a, a.plusSeconds(1)))
        .hasMessageContaining("source");
    assertThat(new CleanupWindow("perftest", a.plusNanos(1_500), a.plusSeconds(1)).since())
        .isEqualTo(a.plusNanos(1_000));
  }
}
