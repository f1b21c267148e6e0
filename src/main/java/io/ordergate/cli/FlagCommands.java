package io.ordergate.cli;

import io.ordergate.config.AdminSettings;
import io.ordergate.config.Env;
import io.ordergate.flags.UnleashAdmin;
import io.ordergate.intervention.Action;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kill}, {@code revive}, {@code hold}, {@code throttle} and {@code status}: the kill switch
 * from a terminal.
 */
public final class FlagCommands {
  private FlagCommands() {}

  static UnleashAdmin admin(AdminSettings settings) {
    return new UnleashAdmin(settings);
  }

  /**
   * On {@code vertx}'s HTTP client when the command runs a Vert.x anyway (one client stack to
   * start, not two); on the JDK's when it has none ({@code vertx} null).
   */
  static UnleashAdmin admin(AdminSettings settings, io.vertx.core.Vertx vertx) {
    return vertx == null ? admin(settings) : new UnleashAdmin(settings, vertx);
  }

  static int toggle(
      CommandSpec spec, String typed, boolean all, boolean on, ConfirmedChange.Confirm confirm) {
    AdminSettings settings = AdminSettings.from(Env.system());
    String source = SourceIds.normalise(typed, settings.flagPrefix());
    if ((source == null) == !all) {
      throw new CliFailure(
          "name one source, or --all for every source (flag '" + settings.globalFlag() + "')");
    }
    if (!all) {
      String flag = settings.flagPrefix() + source;
      return ConfirmedChange.run(
          spec,
          source,
          on ? Action.REVIVE : Action.KILL,
          0,
          confirm,
          admin -> {
            if (on) {
              admin.setVariant(flag, null, null); // a held or throttled source comes back fully
              CliTiming.mark("variant cleared");
            }
            admin.setEnabled(flag, on);
            return "flag '"
                + flag
                + "' is now "
                + (on ? "ON" : "OFF")
                + " in Unleash environment '"
                + settings.environment()
                + "'";
          },
          on ? "Its writes are accepted again." : "Reads still pass. Undo with: revive " + source);
    }
    String flag = all ? settings.globalFlag() : settings.flagPrefix() + source;
    UnleashAdmin admin = admin(settings);
    List<String> stillKilled;
    try {
      admin.setEnabled(flag, on);
      stillKilled = on ? killedSources(admin, settings) : List.of();
    } catch (UnleashAdmin.AdminException e) {
      throw new CliFailure(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    String state =
        "flag '"
            + flag
            + "' is now "
            + (on ? "ON" : "OFF")
            + " in Unleash environment '"
            + settings.environment()
            + "'.";
    if (all) {
      out.println((on ? "Order intake is open again: " : "Stopped every source: ") + state);
      out.println(
          on
              ? (stillKilled.isEmpty()
                  ? "Gateways accept writes again within about a second."
                  : "Gateways accept writes again within about a second, except from sources killed one by one: "
                      + String.join(", ", stillKilled)
                      + " (revive them by name).")
              : "Gateways refuse all writes with 503 within about a second; reads still pass. Undo with: revive --all");
    } else {
      out.println((on ? "Revived source '" : "Killed source '") + source + "': " + state);
      out.println(
          on
              ? "Gateways accept its writes again within about a second."
              : "Gateways refuse its writes with 503 within about a second; reads still pass. Undo with: revive "
                  + source);
    }
    return 0;
  }

  static String withVariant(
      UnleashAdmin admin, AdminSettings settings, String flag, String variant, String payload) {
    // Variant first, so a killed source never passes through plain accept.
    admin.setVariant(flag, variant, payload);
    admin.setEnabled(flag, true);
    return "flag '"
        + flag
        + "' is ON with variant '"
        + variant
        + "'"
        + (payload == null ? "" : " " + payload)
        + " in Unleash environment '"
        + settings.environment()
        + "'";
  }

  private static List<String> killedSources(UnleashAdmin admin, AdminSettings settings) {
    return admin.flags().stream()
        .filter(f -> f.name().startsWith(settings.flagPrefix()) && !f.enabled())
        .map(f -> f.name().substring(settings.flagPrefix().length()))
        .toList();
  }

  @Command(
      name = "kill",
      mixinStandardHelpOptions = true,
      description =
          "Stop a source's orders: turn its Unleash flag off (needs UNLEASH_ADMIN_URL, UNLEASH_ADMIN_TOKEN).")
  public static final class Kill implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "SOURCE",
        arity = "0..1",
        description = "The source id, e.g. perftest.")
    String source;

    @Option(names = "--all", description = "Stop every source: turn the global intake flag off.")
    boolean all;

    @Option(names = "--yes", description = "With --all: do not ask (needed without a terminal).")
    boolean yes;

    @Mixin ConfirmedChange.Confirm confirm;

    @Override
    public Integer call() {
      if (all && source == null) {
        Confirm.destructive(yes, "stop the orders of every source (global intake flag off)", "all");
      }
      return toggle(spec, source, all, false, confirm);
    }
  }

  @Command(
      name = "revive",
      mixinStandardHelpOptions = true,
      description =
          "Let a source's orders through again: turn its Unleash flag on and clear a hold or throttle variant.")
  public static final class Revive implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "SOURCE",
        arity = "0..1",
        description = "The source id, e.g. perftest.")
    String source;

    @Option(names = "--all", description = "Turn the global intake flag back on.")
    boolean all;

    @Mixin ConfirmedChange.Confirm confirm;

    @Override
    public Integer call() {
      return toggle(spec, source, all, true, confirm);
    }
  }

  @Command(
      name = "hold",
      mixinStandardHelpOptions = true,
      description = {
        "Hold a source's orders in quarantine instead of refusing them (202; release or discard later).",
        "Sets the flag variant 'quarantine'; needs UNLEASH_ADMIN_URL, UNLEASH_ADMIN_TOKEN."
      })
  public static final class Hold implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "SOURCE", description = "The source id, e.g. perftest.")
    String source;

    @Mixin ConfirmedChange.Confirm confirm;

    @Override
    public Integer call() {
      AdminSettings settings = AdminSettings.from(Env.system());
      String source = SourceIds.normalise(this.source, settings.flagPrefix());
      return ConfirmedChange.run(
          spec,
          source,
          Action.HOLD,
          0,
          confirm,
          admin -> withVariant(admin, settings, settings.flagPrefix() + source, "quarantine", null),
          "Its writes are stored and answered 202; nothing reaches the order system. See them with:"
              + " quarantine list --source "
              + source
              + "\nBack to normal with: revive "
              + source
              + "; stop it outright with: kill "
              + source);
    }
  }

  @Command(
      name = "throttle",
      mixinStandardHelpOptions = true,
      description = {
        "Cap a source's writes per second on each gateway replica (429 with Retry-After above it).",
        "Sets the flag variant 'throttle' with payload {\"ratePerSecond\": N}."
      })
  public static final class Throttle implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "SOURCE", description = "The source id, e.g. partner.")
    String source;

    @Option(
        names = "--rate",
        required = true,
        paramLabel = "N",
        description = "Writes per second per replica (0 refuses all with 429).")
    int rate;

    @Mixin ConfirmedChange.Confirm confirm;

    @Override
    public Integer call() {
      if (rate < 0 || rate > 1_000_000) {
        throw new CliFailure("--rate must be between 0 and 1000000, was " + rate);
      }
      AdminSettings settings = AdminSettings.from(Env.system());
      String source = SourceIds.normalise(this.source, settings.flagPrefix());
      return ConfirmedChange.run(
          spec,
          source,
          Action.THROTTLE,
          rate,
          confirm,
          admin ->
              withVariant(
                  admin,
                  settings,
                  settings.flagPrefix() + source,
                  "throttle",
                  "{\"ratePerSecond\": " + rate + "}"),
          (rate == 0
                  ? "Each replica refuses all of its writes with 429 (rate 0); reads still pass."
                  : "Each replica forwards at most "
                      + rate
                      + " of its writes per second (a fleet of n replicas lets through up to n x "
                      + rate
                      + "/s); the rest get 429.")
              + "\nBack to normal with: revive "
              + source
              + "; stop it outright with: kill "
              + source);
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show the intake flag and every source flag in Unleash; with ORDERGATE_DATABASE_URL also the",
        "interventions in force, the replicas and what each live one enforces, and any disagreement."
      })
  public static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return StatusReport.print(spec.commandLine().getOut());
    }
  }
}
