package io.ordergate.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Precedence between interventions and Unleash, on the decision table alone. */
class OverruleTest {
  private static final DecisionPolicy POLICY =
      new DecisionPolicy("order-intake", "order-source.", true);
  private static final FlagState HELD = new FlagState(true, true, "quarantine", null);

  private final Map<String, FlagState> flags = new HashMap<>();
  private final AtomicBoolean fromUnleash = new AtomicBoolean(true);
  private final List<Decisions.Lapsed> lapsed = new ArrayList<>();
  private Decisions decisions;

  @BeforeEach
  void setUp() {
    flags.put("order-intake", FlagState.on());
    flags.put("order-source.perftest", FlagState.on());
    decisions =
        new Decisions(
            (name, source) -> flags.getOrDefault(name, FlagState.MISSING),
            POLICY,
            () -> List.of("perftest"),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    decisions.interventions(fromUnleash::get, lapsed::add);
    decisions.rebuild("start");
  }

  private static Overrule kill(long id) {
    return new Overrule(id, Verdict.REJECT, 0, "intervention #" + id + ": kill by alice", null);
  }

  private Verdict perftest() {
    return decisions.current().forSource("perftest").verdict();
  }

  @Test
  void anInterventionDecidesAtOnceWithANewTable() {
    DecisionTable before = decisions.current();
    DecisionTable after = decisions.overrule("perftest", kill(1), "applied intervention");
    assertThat(after).isNotSameAs(before);
    assertThat(after.revision()).isGreaterThan(before.revision());
    assertThat(perftest()).isEqualTo(Verdict.REJECT);
    assertThat(after.forSource("perftest").overrule().interventionId()).isEqualTo(1);
    assertThat(after.forSource("perftest").unleash()).isEqualTo(FlagState.on());
  }

  @Test
  void itHoldsWhileUnleashIsUnchangedAndWhenUnleashCatchesUp() {
    decisions.overrule("perftest", kill(1), "applied intervention");
    decisions.rebuild("poll, nothing new");
    assertThat(perftest()).isEqualTo(Verdict.REJECT);
    flags.put("order-source.perftest", FlagState.off()); // the change made with the kill
    decisions.rebuild("flags changed");
    assertThat(decisions.current().forSource("perftest").overrule()).isNotNull();
    assertThat(lapsed).isEmpty();
  }

  @Test
  void theNextChangeInUnleashEndsItAndUnleashRulesAgain() {
    decisions.overrule("perftest", kill(1), "applied intervention");
    flags.put("order-source.perftest", HELD); // someone holds it in the UI
    decisions.rebuild("flags changed");
    assertThat(perftest()).isEqualTo(Verdict.QUARANTINE);
    assertThat(decisions.current().forSource("perftest").overrule()).isNull();
    assertThat(lapsed).singleElement().satisfies(l -> assertThat(l.unleash()).isEqualTo(HELD));
  }

  @Test
  void withFlagsFromABootstrapFileTheFirstStateFromUnleashIsTheBaseline() {
    fromUnleash.set(false);
    decisions.overrule("perftest", kill(1), "applied intervention");
    fromUnleash.set(true);
    decisions.rebuild("first fetch from Unleash"); // same as bootstrap: becomes the baseline
    assertThat(perftest()).isEqualTo(Verdict.REJECT);
    flags.put("order-source.perftest", HELD);
    decisions.rebuild("flags changed");
    assertThat(perftest()).isEqualTo(Verdict.QUARANTINE);
  }

  @Test
  void anOlderInterventionArrivingLateDoesNotReplaceANewerOne() {
    decisions.overrule(
        "perftest", new Overrule(2, Verdict.ACCEPT, 0, "#2 revive", null), "applied intervention");
    decisions.overrule("perftest", kill(1), "applied intervention");
    assertThat(perftest()).isEqualTo(Verdict.ACCEPT);
  }

  /**
   * A kill then a revive, each with its Unleash change (events #10 and #11), both applied before
   * this replica saw either change; then Unleash's state after #10 arrives late (a webhook, or a
   * fetch of a revision published between the two). That is an older change than the revive's own,
   * not the next one: the revive holds.
   */
  @Test
  void anOlderUnleashChangeSeenLateDoesNotEndANewerIntervention() {
    long[] revision = {9};
    decisions.flagRevisions(flag -> revision[0]);
    decisions.overrule(
        "perftest",
        new Overrule(1, Verdict.REJECT, 0, "#1 kill", null, 10),
        "applied intervention");
    decisions.overrule(
        "perftest",
        new Overrule(2, Verdict.ACCEPT, 0, "#2 revive", null, 11),
        "applied intervention");
    flags.put("order-source.perftest", FlagState.off()); // the kill's change, seen late
    revision[0] = 10;
    decisions.rebuild("webhook of event #10");
    assertThat(perftest()).isEqualTo(Verdict.ACCEPT);
    assertThat(lapsed).isEmpty();
    flags.put("order-source.perftest", FlagState.on()); // the revive's own change
    revision[0] = 11;
    decisions.rebuild("flags fetched at revision 11");
    assertThat(perftest()).isEqualTo(Verdict.ACCEPT);
    assertThat(lapsed).isEmpty();
    flags.put("order-source.perftest", HELD); // a later change in the UI still wins
    revision[0] = 12;
    decisions.rebuild("flags fetched at revision 12");
    assertThat(perftest()).isEqualTo(Verdict.QUARANTINE);
    assertThat(lapsed).singleElement().satisfies(l -> assertThat(l.unleash()).isEqualTo(HELD));
  }

  @Test
  void aGlobalStopStillWins() {
    decisions.overrule(
        "perftest", new Overrule(1, Verdict.ACCEPT, 0, "#1 revive", null), "applied intervention");
    flags.put("order-intake", FlagState.off());
    decisions.rebuild("flags changed");
    assertThat(perftest()).isEqualTo(Verdict.REJECT);
  }
}
