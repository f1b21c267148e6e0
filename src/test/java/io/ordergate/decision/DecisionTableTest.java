package io.ordergate.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.getunleash.FakeUnleash;
import io.getunleash.UnleashContext;
import io.getunleash.variant.Variant;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DecisionTableTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
  private static final DecisionPolicy ACCEPT_UNFLAGGED =
      new DecisionPolicy("order-intake", "order-source.", true);
  private static final DecisionPolicy REJECT_UNFLAGGED =
      new DecisionPolicy("order-intake", "order-source.", false);

  /** Flags by name; a name that is absent does not exist. */
  private final Map<String, FlagState> flags = new HashMap<>();

  private final FlagEvaluator evaluator =
      (name, source) -> flags.getOrDefault(name, FlagState.MISSING);

  private DecisionTable build(DecisionPolicy policy, String... sources) {
    return DecisionTable.build(evaluator, List.of(sources), policy, 1, NOW);
  }

  @Test
  void sourceWithFlagOnIsAccepted() {
    flags.put("order-intake", FlagState.on());
    flags.put("order-source.web", FlagState.on());

    SourceDecision web = build(ACCEPT_UNFLAGGED, "web").forSource("web");

    assertThat(web.verdict()).isEqualTo(Verdict.ACCEPT);
    assertThat(web.accepts()).isTrue();
    assertThat(web.flagName()).isEqualTo("order-source.web");
  }

  @Test
  void killedSourceIsRejectedWhileOthersAreAccepted() {
    flags.put("order-intake", FlagState.on());
    flags.put("order-source.web", FlagState.on());
    flags.put("order-source.perftest", FlagState.off());

    DecisionTable table = build(ACCEPT_UNFLAGGED, "web", "perftest");

    assertThat(table.forSource("web").verdict()).isEqualTo(Verdict.ACCEPT);
    SourceDecision perftest = table.forSource("perftest");
    assertThat(perftest.verdict()).isEqualTo(Verdict.REJECT);
    assertThat(perftest.reason()).contains("order-source.perftest");
  }

  @Test
  void shadowVariantAcceptsAndCarriesWhatItRehearses() {
    flags.put(
        "order-source.perftest", new FlagState(true, true, "shadow", "{\"action\": \"kill\"}"));
    flags.put(
        "order-source.partner",
        new FlagState(true, true, "shadow", "{\"action\": \"throttle\", \"ratePerSecond\": 5}"));

    DecisionTable table = build(ACCEPT_UNFLAGGED, "perftest", "partner");

    SourceDecision perftest = table.forSource("perftest");
    assertThat(perftest.verdict()).isEqualTo(Verdict.ACCEPT);
    assertThat(perftest.shadow()).isEqualTo(new Shadow(Shadow.Action.KILL, 0));
    assertThat(perftest.reason()).contains("shadow kill").contains("would-reject");
    assertThat(table.forSource("partner").shadow())
        .isEqualTo(new Shadow(Shadow.Action.THROTTLE, 5));
  }

  @Test
  void shadowWithAnUnreadablePayloadStillAcceptsAndRehearsesNothing() {
    flags.put(
        "order-source.perftest", new FlagState(true, true, "shadow", "{\"action\": \"nuke\"}"));

    SourceDecision d = build(ACCEPT_UNFLAGGED, "perftest").forSource("perftest");

    assertThat(d.verdict()).isEqualTo(Verdict.ACCEPT);
    assertThat(d.shadow()).isNull();
    assertThat(d.reason()).contains("nothing is rehearsed");
  }

  @Test
  void shadowPayloadsAreReadStrictly() {
    assertThat(Shadow.parse("{\"action\": \"hold\"}")).isEqualTo(new Shadow(Shadow.Action.HOLD, 0));
    assertThat(Shadow.parse("{\"action\": \"throttle\"}")).as("a throttle needs its rate").isNull();
    assertThat(Shadow.parse("{\"action\": \"throttle\", \"ratePerSecond\": 2.5}")).isNull();
    assertThat(Shadow.parse("not json")).isNull();
    assertThat(Shadow.parse(null)).isNull();
    Shadow throttle = new Shadow(Shadow.Action.THROTTLE, 40);
    assertThat(Shadow.parse(throttle.payload())).isEqualTo(throttle);
    assertThat(Shadow.Action.HOLD.wouldDecision()).isEqualTo("would-quarantine");
  }

  @Test
  void quarantineVariantHoldsTheSource() {
    flags.put("order-source.perftest", new FlagState(true, true, "quarantine", null));

    SourceDecision d = build(ACCEPT_UNFLAGGED, "perftest").forSource("perftest");

    assertThat(d.verdict()).isEqualTo(Verdict.QUARANTINE);
    assertThat(d.accepts()).isFalse();
    assertThat(d.reason()).contains("quarantine");
  }

  @Test
  void throttleVariantCarriesTheRateFromItsPayload() {
    flags.put(
        "order-source.partner", new FlagState(true, true, "throttle", "{\"ratePerSecond\": 25}"));

    SourceDecision d = build(ACCEPT_UNFLAGGED, "partner").forSource("partner");

    assertThat(d.verdict()).isEqualTo(Verdict.THROTTLE);
    assertThat(d.ratePerSecond()).isEqualTo(25);
  }

  @Test
  void changingTheThrottleRateChangesTheDecision() {
    flags.put(
        "order-source.partner", new FlagState(true, true, "throttle", "{\"ratePerSecond\": 25}"));
    DecisionTable before = build(ACCEPT_UNFLAGGED, "partner");
    flags.put(
        "order-source.partner", new FlagState(true, true, "throttle", "{\"ratePerSecond\": 5}"));

    assertThat(build(ACCEPT_UNFLAGGED, "partner").sameDecisionsAs(before)).isFalse();
  }

  @Test
  void throttleVariantWithoutAValidRateRefusesRatherThanOpensTheSource() {
    for (String payload :
        new String[] {
          null,
          "",
          "not json",
          "{\"ratePerSecond\": -1}",
          "{\"ratePerSecond\": 2.5}",
          "{\"rate\": 5}",
          "{\"ratePerSecond\": \"ten\"}"
        }) {
      flags.put("order-source.partner", new FlagState(true, true, "throttle", payload));

      SourceDecision d = build(ACCEPT_UNFLAGGED, "partner").forSource("partner");

      assertThat(d.verdict()).as("payload %s", payload).isEqualTo(Verdict.REJECT);
      assertThat(d.reason()).contains("ratePerSecond");
    }
  }

  @Test
  void otherVariantsAreAccepted() {
    flags.put("order-source.web", new FlagState(true, true, "blue", null));

    assertThat(build(ACCEPT_UNFLAGGED, "web").forSource("web").verdict()).isEqualTo(Verdict.ACCEPT);
  }

  @Test
  void globalFlagOffRejectsEverySourceEvenWithItsOwnFlagOn() {
    flags.put("order-intake", FlagState.off());
    flags.put("order-source.web", FlagState.on());

    DecisionTable table = build(ACCEPT_UNFLAGGED, "web", "unflagged");

    assertThat(table.bySource().values())
        .allSatisfy(
            d -> {
              assertThat(d.verdict()).isEqualTo(Verdict.REJECT);
              assertThat(d.reason()).contains("order-intake");
            });
  }

  @Test
  void missingGlobalFlagCountsAsOn() {
    flags.put("order-source.web", FlagState.on());

    assertThat(build(ACCEPT_UNFLAGGED, "web").forSource("web").verdict()).isEqualTo(Verdict.ACCEPT);
  }

  @Test
  void sourceWithoutFlagFollowsTheUnflaggedPolicy() {
    flags.put("order-intake", FlagState.on());

    assertThat(build(ACCEPT_UNFLAGGED, "partner").forSource("partner").verdict())
        .isEqualTo(Verdict.ACCEPT);
    SourceDecision rejected = build(REJECT_UNFLAGGED, "partner").forSource("partner");
    assertThat(rejected.verdict()).isEqualTo(Verdict.REJECT);
    assertThat(rejected.reason()).contains("order-source.partner");
  }

  @Test
  void sourceNotInTheTableGetsTheUnknownSourceRejection() {
    flags.put("order-source.web", FlagState.on());
    DecisionTable table = build(ACCEPT_UNFLAGGED, "web");

    SourceDecision stranger = table.forSource("stranger");

    assertThat(stranger).isSameAs(table.unknownSource());
    assertThat(stranger.verdict()).isEqualTo(Verdict.REJECT);
  }

  @Test
  void variantOfAnEnabledFlagIsKept() {
    flags.put("order-source.web", new FlagState(true, true, "quarantine", null));

    assertThat(build(ACCEPT_UNFLAGGED, "web").forSource("web").variant()).isEqualTo("quarantine");
  }

  @Test
  void rebuildBumpsTheRevisionOnlyWhenADecisionChanged() {
    List<String> sources = new ArrayList<>(List.of("web"));
    flags.put("order-source.web", FlagState.on());
    Decisions decisions =
        new Decisions(evaluator, ACCEPT_UNFLAGGED, () -> sources, Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(decisions.built()).isFalse();

    DecisionTable first = decisions.rebuild("start");
    assertThat(decisions.built()).isTrue();
    assertThat(first.revision()).isEqualTo(1);

    assertThat(decisions.rebuild("poll, nothing changed")).isSameAs(first);
    assertThat(decisions.current().revision()).isEqualTo(1);

    flags.put("order-source.web", FlagState.off());
    DecisionTable killed = decisions.rebuild("flag toggled");
    assertThat(killed.revision()).isEqualTo(2);
    assertThat(decisions.current().forSource("web").verdict()).isEqualTo(Verdict.REJECT);

    sources.add("mobile");
    assertThat(decisions.rebuild("registry changed").revision()).isEqualTo(3);
    assertThat(decisions.current().forSource("mobile").verdict()).isEqualTo(Verdict.ACCEPT);
  }

  @Test
  void firstRebuildIsKeptEvenWhenEveryoneIsRejected() {
    Decisions decisions =
        new Decisions(evaluator, REJECT_UNFLAGGED, List::of, Clock.fixed(NOW, ZoneOffset.UTC));

    decisions.rebuild("start");

    assertThat(decisions.built()).isTrue();
    assertThat(decisions.current().revision()).isEqualTo(1);
    assertThat(decisions.current().forSource("anyone").verdict()).isEqualTo(Verdict.REJECT);
  }

  @Test
  void variantChangeIsPickedUpByTheNextRebuild() {
    flags.put("order-source.web", FlagState.on());
    Decisions decisions =
        new Decisions(
            evaluator, ACCEPT_UNFLAGGED, () -> List.of("web"), Clock.fixed(NOW, ZoneOffset.UTC));
    decisions.rebuild("start");

    flags.put("order-source.web", new FlagState(true, true, "quarantine", null));
    decisions.rebuild("variant set");

    assertThat(decisions.current().forSource("web").variant()).isEqualTo("quarantine");
    assertThat(decisions.current().revision()).isEqualTo(2);
  }

  /** The same rules with the SDK's own fake, evaluated the way the gateway evaluates real flags. */
  @Nested
  class WithFakeUnleash {
    private final FakeUnleash unleash = new FakeUnleash();
    private final FlagEvaluator sdk =
        (name, source) -> {
          if (unleash.more().getFeatureToggleDefinition(name).isEmpty()) {
            return FlagState.MISSING;
          }
          UnleashContext ctx =
              source == null
                  ? UnleashContext.builder().build()
                  : UnleashContext.builder().addProperty("orderSource", source).build();
          Variant variant = unleash.getVariant(name, ctx);
          return new FlagState(
              true,
              unleash.isEnabled(name, ctx),
              variant.isEnabled() ? variant.getName() : null,
              null);
        };

    private DecisionTable build(DecisionPolicy policy, String... sources) {
      return DecisionTable.build(sdk, List.of(sources), policy, 1, NOW);
    }

    @Test
    void disabledToggleRejectsOnlyThatSource() {
      unleash.enable("order-intake", "order-source.web");
      unleash.disable("order-source.perftest");

      DecisionTable table = build(REJECT_UNFLAGGED, "web", "perftest", "partner");

      assertThat(table.forSource("web").verdict()).isEqualTo(Verdict.ACCEPT);
      assertThat(table.forSource("perftest").verdict()).isEqualTo(Verdict.REJECT);
      assertThat(table.forSource("partner").verdict())
          .as("unknown to the SDK, so unflagged")
          .isEqualTo(Verdict.REJECT);
    }

    @Test
    void disabledGlobalToggleRejectsEverySource() {
      unleash.enable("order-source.web", "order-source.mobile");
      unleash.disable("order-intake");

      assertThat(build(ACCEPT_UNFLAGGED, "web", "mobile").bySource().values())
          .allSatisfy(d -> assertThat(d.verdict()).isEqualTo(Verdict.REJECT));
    }

    @Test
    void globalToggleUnknownToTheSdkCountsAsOn() {
      unleash.enable("order-source.web");

      assertThat(build(ACCEPT_UNFLAGGED, "web").forSource("web").verdict())
          .isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void variantFromTheSdkReachesTheDecision() {
      unleash.enable("order-source.web");
      unleash.setVariant("order-source.web", new Variant("quarantine", (String) null, true));

      assertThat(build(ACCEPT_UNFLAGGED, "web").forSource("web").variant()).isEqualTo("quarantine");
    }
  }
}
