package io.ordergate.trip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TripRuleTest {
  /** A clock the test moves by hand. */
  static final class FakeClock extends Clock {
    Instant now = Instant.parse("2026-12-02T03:00:00Z");

    void tick() {
      now = now.plusSeconds(1);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  final FakeClock clock = new FakeClock();
  final TripRule rule = new TripRule(clock);

  boolean second(String source, TripLimit limit, double rate) {
    clock.tick();
    return rule.observe(source, limit, rate).isPresent();
  }

  /** One sample a quarter of a second later, as AutoTrip takes them. */
  boolean sample(String source, TripLimit limit, double rate) {
    clock.now = clock.now.plusMillis(AutoTrip.PERIOD_MILLIS);
    return rule.observe(source, limit, rate).isPresent();
  }

  @Test
  void aMarginalExcessTripsAfterTwoConsecutiveSecondsOverTheRate() {
    TripLimit limit = new TripLimit(100, 0);
    assertThat(second("perftest", limit, 100)).isFalse(); // at the rate is not over it
    assertThat(second("perftest", limit, 150)).isFalse(); // one second is noise
    assertThat(second("perftest", limit, 90)).isFalse(); // and resets
    assertThat(second("perftest", limit, 150)).isFalse();
    clock.tick();
    TripRule.Over over = rule.observe("perftest", limit, 150).orElseThrow();
    assertThat(over.rate()).isEqualTo(150);
    assertThat(over.limit()).isEqualTo(100);
    assertThat(over.far()).isFalse();
    assertThat(over.evidence()).isEqualTo("for 2 s");
  }

  @Test
  void oneNoisySecondNeverTripsHoweverOftenItIsSampled() {
    TripLimit limit = new TripLimit(100, 0);
    for (int burst = 0; burst < 20; burst++) {
      for (int i = 0; i < 8; i++) {
        assertThat(sample("web", limit, 60)).isFalse();
      }
      // a burst of up to twice the rate is seen by every sample for the second after it...
      for (int i = 0; i < 4; i++) {
        assertThat(sample("web", limit, 199)).isFalse();
      }
      // ...and not by the next one
    }
  }

  @Test
  void aMarginalFloodTripsOnceItHasLastedASecondOfQuarterSecondSamples() {
    TripLimit limit = new TripLimit(100, 0);
    assertThat(sample("perftest", limit, 80)).isFalse();
    int samples = 1;
    while (!sample("perftest", limit, 160)) {
      samples++;
      assertThat(samples).isLessThan(100);
    }
    // the first over the rate, then a second's worth: 1 s / 250 ms more
    assertThat(samples)
        .isEqualTo(1 + (int) (TripRule.EVIDENCE.toMillis() / AutoTrip.PERIOD_MILLIS));
  }

  @Test
  void aFloodFarOverTheRateTripsOnItsFirstSample() {
    TripLimit limit = new TripLimit(100, 0);
    assertThat(sample("perftest", limit, 90)).isFalse();
    clock.now = clock.now.plusMillis(AutoTrip.PERIOD_MILLIS);
    TripRule.Over over = rule.observe("perftest", limit, 1240).orElseThrow();
    assertThat(over.far()).isTrue();
    assertThat(over.evidence()).isEqualTo("over 1 s, more than 2x");
    // exactly twice is still marginal
    assertThat(sample("other", limit, 200)).isFalse();
  }

  @Test
  void theReportedRateIsOverTheLastSecondSlidingAndNeverInflatedAtTheStart() {
    RecentCounts recent = new RecentCounts(1000);
    recent.add(250, Map.of("perftest", 50L));
    assertThat(recent.rates()).containsEntry("perftest", 50.0); // not 200/s from a quarter
    recent.add(250, Map.of("perftest", 50L));
    recent.add(250, Map.of("perftest", 50L, "web", 10L));
    recent.add(250, Map.of("perftest", 50L));
    assertThat(recent.rates()).containsEntry("perftest", 200.0).containsEntry("web", 10.0);
    recent.add(250, Map.of());
    recent.add(250, Map.of());
    assertThat(recent.rates()).containsEntry("perftest", 100.0).containsEntry("web", 10.0);
    recent.add(2000, Map.of("perftest", 400L)); // a late tick (a slow database)
    assertThat(recent.rates()).containsOnly(Map.entry("perftest", 200.0));
  }

  @Test
  void aThreefoldSwingBelowTheRateNeverTrips() {
    TripLimit limit = new TripLimit(2000, 0);
    for (int minute = 0; minute < 60; minute++) {
      double rate = 500 + 1000 * Math.sin(Math.PI * minute / 60.0); // 500 … 1500
      for (int s = 0; s < 60; s++) {
        assertThat(second("web", limit, rate)).isFalse();
      }
    }
  }

  @Test
  void baselineTripsAtItsMultipleOfTheRecentAverageNeverBelowTheFloor() {
    // the warm-up is a minute, however often the rate is sampled
    TripLimit learning = new TripLimit(50, 3);
    for (int i = 1; i < 4 * 59; i++) {
      assertThat(sample("fresh", learning, 10)).isFalse();
    }
    assertThat(sample("fresh", learning, 1000)).isFalse(); // 59 s: still learning
    assertThat(sample("fresh", learning, 1000)).isTrue(); // a minute of seconds
    TripLimit limit = new TripLimit(50, 3);
    // quiet source: the floor holds
    for (int i = 0; i < 60; i++) {
      assertThat(second("partner", limit, 5)).isFalse();
    }
    assertThat(rule.limitOf("partner", limit)).isEqualTo(50);
    assertThat(second("partner", limit, 45)).isFalse();
    // busy source: 3 x its 10-minute average
    TripLimit busy = new TripLimit(50, 3);
    for (int i = 0; i < 600; i++) {
      assertThat(second("web", busy, 200)).isFalse();
    }
    assertThat(rule.limitOf("web", busy)).isEqualTo(600);
    assertThat(second("web", busy, 590)).isFalse();
    assertThat(second("web", busy, 700)).isFalse();
    assertThat(second("web", busy, 700)).isTrue();
  }

  @Test
  void aFloodDoesNotRaiseItsOwnBaselineAndOldSamplesLeaveTheWindow() {
    TripLimit limit = new TripLimit(0, 2);
    for (int i = 0; i < 100; i++) {
      second("mobile", limit, 100);
    }
    for (int i = 0; i < 50; i++) {
      second("mobile", limit, 10_000); // over: never enters the average
    }
    assertThat(rule.limitOf("mobile", limit)).isEqualTo(200);
    clock.now = clock.now.plus(TripRule.WINDOW).plus(Duration.ofSeconds(1));
    assertThat(second("mobile", limit, 1)).isFalse(); // the old samples are gone
    assertThat(rule.limitOf("mobile", limit)).isEqualTo(TripLimit.DEFAULT_FLOOR);
  }

  @Test
  void noTripSettingsNoTrip() {
    for (int i = 0; i < 10; i++) {
      assertThat(second("web", TripLimit.NONE, 1e6)).isFalse();
    }
  }

  @Test
  void limitsOutOfRangeAreRefused() {
    assertThatThrownBy(() -> new TripLimit(-1, 0)).hasMessageContaining("trip rate");
    assertThatThrownBy(() -> new TripLimit(0, 0.5)).hasMessageContaining("trip baseline");
    assertThat(new TripLimit(100, 0).describe()).isEqualTo("100 writes/s");
  }

  @Test
  void writeCountsDrainAndReset() {
    WriteCounts counts = new WriteCounts();
    counts.count("a");
    counts.count("a");
    counts.count("b");
    assertThat(counts.drain()).containsEntry("a", 2L).containsEntry("b", 1L);
    assertThat(counts.drain()).isEmpty();
  }
}
