package io.ordergate.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.decision.DecisionTable;
import io.ordergate.decision.SourceDecision;
import io.ordergate.decision.Verdict;
import io.ordergate.problem.Failure;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A write is dispatched under the decision in force at dispatch, not the one its headers met. */
class RecheckTest {
  private static DecisionTable table(Verdict verdict, long revision) {
    return new DecisionTable(
        Map.of("shop", new SourceDecision("shop", "f", verdict, "because " + verdict, null, 5)),
        new SourceDecision(null, null, Verdict.REJECT, "?", null),
        revision,
        Instant.EPOCH);
  }

  private static final Admission.RateLimits OPEN = (s, r) -> true;

  @Test
  void anUnchangedTableKeepsWhatAdmissionDecided() {
    Recheck.Verdict v = Recheck.at(table(Verdict.REJECT, 7), "shop", true, 7, OPEN);
    assertThat(v.refusal()).isNull();
    assertThat(v.hold()).isTrue();
  }

  @Test
  void aKillMadeWhileTheBodyArrivedRefusesTheWrite() {
    Recheck.Verdict v = Recheck.at(table(Verdict.REJECT, 8), "shop", false, 7, OPEN);
    assertThat(v.refusal().failure()).isEqualTo(Failure.SOURCE_DISABLED);
    assertThat(v.refusal().detail()).contains("revision 7").contains("8 at dispatch");
    assertThat(v.revision()).isEqualTo(8);
  }

  @Test
  void aHoldOrAReviveInBetweenIsFollowed() {
    assertThat(Recheck.at(table(Verdict.QUARANTINE, 8), "shop", false, 7, OPEN).hold()).isTrue();
    assertThat(Recheck.at(table(Verdict.ACCEPT, 8), "shop", true, 7, OPEN).hold()).isFalse();
  }

  @Test
  void aThrottleInBetweenAppliesItsRate() {
    Recheck.Verdict over =
        Recheck.at(table(Verdict.THROTTLE, 8), "shop", false, 7, (s, r) -> false);
    assertThat(over.refusal().failure()).isEqualTo(Failure.SOURCE_THROTTLED);
    assertThat(Recheck.at(table(Verdict.THROTTLE, 8), "shop", false, 7, OPEN).refusal()).isNull();
  }

  @Test
  void aHoldInBetweenTakesItsPlaceUnderTheHoldRate() {
    HoldRate cap = new HoldRate(1, () -> 0L);
    Recheck.Verdict first = Recheck.at(table(Verdict.QUARANTINE, 8), "shop", false, 7, OPEN, cap);
    assertThat(first.hold()).isTrue();
    Recheck.Verdict over = Recheck.at(table(Verdict.QUARANTINE, 8), "shop", false, 7, OPEN, cap);
    assertThat(over.hold()).isFalse();
    assertThat(over.refusal().failure()).isEqualTo(Failure.SOURCE_OVER_HOLD_RATE);
    assertThat(over.refusal().detail()).contains("8 at dispatch");
    assertThat(Recheck.at(table(Verdict.QUARANTINE, 8), "shop", true, 7, OPEN, cap).hold())
        .as("admitted as a hold: it already took its place")
        .isTrue();
  }
}
