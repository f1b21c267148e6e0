package io.ordergate.cli;

import io.ordergate.config.AdminSettings;
import io.ordergate.config.Env;
import io.ordergate.decision.DecisionTable;
import io.ordergate.decision.Shadow;
import io.ordergate.flags.UnleashAdmin;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code shadow <source> kill|hold|throttle [--rate N]}: rehearse an action on live traffic. The
 * source's flag gets variant {@code shadow}; gateways let every write through and count (and audit)
 * the ones the action would have stopped.
 */
@Command(
    name = "shadow",
    mixinStandardHelpOptions = true,
    description = {
      "Rehearse a kill, hold or throttle without enforcing it: writes keep flowing, and those the action",
      "would have stopped are counted (ordergate_shadow_total{decision=\"would-reject|would-quarantine|would-throttle\"})",
      "and recorded on their audit rows (flag variant 'shadow'; needs UNLEASH_ADMIN_URL, UNLEASH_ADMIN_TOKEN)."
    })
public final class ShadowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SOURCE", description = "The source id, e.g. perftest.")
  String typed;

  @Parameters(
      index = "1",
      paramLabel = "ACTION",
      description = "kill, hold or throttle: the action to rehearse.")
  String action;

  @Option(
      names = "--rate",
      paramLabel = "N",
      description = "For throttle: writes per second per replica that would pass.")
  Integer rate;

  @Override
  public Integer call() {
    Shadow shadow = shadow();
    AdminSettings settings = AdminSettings.from(Env.system());
    String source = SourceIds.normalise(typed, settings.flagPrefix());
    String flag = settings.flagPrefix() + source;
    UnleashAdmin admin = new UnleashAdmin(settings);
    try {
      admin.setVariant(flag, DecisionTable.SHADOW, shadow.payload());
      admin.setEnabled(flag, true);
    } catch (UnleashAdmin.FlagNotFoundException e) {
      throw SourceIds.notInUnleash(admin, settings, source, e);
    } catch (UnleashAdmin.AdminException e) {
      throw new CliFailure(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "Source '"
            + source
            + "': flag '"
            + flag
            + "' is ON with variant 'shadow' "
            + shadow.payload()
            + " in Unleash environment '"
            + settings.environment()
            + "'.");
    out.println(
        "Gateways keep forwarding its writes; within about a second they count those a "
            + shadow.action().label()
            + " would have stopped as "
            + shadow.action().wouldDecision()
            + " (metric ordergate_shadow_total, audit column shadow).");
    out.println(
        "Enforce it with: "
            + (shadow.action() == Shadow.Action.THROTTLE
                ? "throttle " + source + " --rate " + shadow.ratePerSecond()
                : shadow.action().label() + " " + source)
            + "; end the rehearsal with: revive "
            + source);
    return 0;
  }

  private Shadow shadow() {
    Shadow.Action chosen =
        switch (action) {
          case "kill" -> Shadow.Action.KILL;
          case "hold" -> Shadow.Action.HOLD;
          case "throttle" -> Shadow.Action.THROTTLE;
          default ->
              throw new CliFailure(
                  "the action must be kill, hold or throttle, was '" + action + "'");
        };
    if (chosen == Shadow.Action.THROTTLE) {
      if (rate == null) {
        throw new CliFailure("a shadow throttle needs --rate N");
      }
      if (rate < 0 || rate > 1_000_000) {
        throw new CliFailure("--rate must be between 0 and 1000000, was " + rate);
      }
      return new Shadow(chosen, rate);
    }
    if (rate != null) {
      throw new CliFailure("--rate belongs to a shadow throttle only");
    }
    return new Shadow(chosen, 0);
  }

  /** How {@code status} shows a source's variant; a shadow says what it rehearses. */
  static String describe(UnleashAdmin.FlagVariant variant) {
    if (!DecisionTable.SHADOW.equals(variant.name())) {
      return "on, variant " + variant;
    }
    Shadow shadow = Shadow.parse(variant.payload());
    return shadow == null
        ? "on, variant shadow with an unreadable payload (nothing rehearsed)"
        : "on, "
            + shadow.describe()
            + " (writes pass; counted as "
            + shadow.action().wouldDecision()
            + ")";
  }
}
