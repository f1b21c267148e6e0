package io.ordergate.cli;

import io.ordergate.config.AdminSettings;
import io.ordergate.config.Env;
import io.ordergate.flags.UnleashAdmin;
import io.ordergate.flags.UnleashAdmin.FlagInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

  static int toggle(CommandSpec spec, String typed, boolean all, boolean on) {
    AdminSettings settings = AdminSettings.from(Env.system());
    String source = SourceIds.normalise(typed, settings.flagPrefix());
    if ((source == null) == !all) {
      throw new CliFailure(
          "name one source, or --all for every source (flag '" + settings.globalFlag() + "')");
    }
    String flag = all ? settings.globalFlag() : settings.flagPrefix() + source;
    UnleashAdmin admin = admin(settings);
    List<String> stillKilled;
    try {
      if (on && !all) {
        admin.setVariant(flag, null, null); // a held or throttled source comes back fully
      }
      admin.setEnabled(flag, on);
      stillKilled = all && on ? killedSources(admin, settings) : List.of();
    } catch (UnleashAdmin.FlagNotFoundException e) {
      throw all
          ? new CliFailure(e.getMessage())
          : SourceIds.notInUnleash(admin, settings, source, e);
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

  /**
   * Turns the source's flag on with a variant: set first, so a killed source never passes through
   * plain accept.
   */
  static int withVariant(
      CommandSpec spec, String typed, String variant, String payload, String effect) {
    AdminSettings settings = AdminSettings.from(Env.system());
    String source = SourceIds.normalise(typed, settings.flagPrefix());
    String flag = settings.flagPrefix() + source;
    UnleashAdmin admin = admin(settings);
    try {
      admin.setVariant(flag, variant, payload);
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
            + "' is ON with variant '"
            + variant
            + "'"
            + (payload == null ? "" : " " + payload)
            + " in Unleash environment '"
            + settings.environment()
            + "'.");
    out.println(effect);
    out.println(
        "Back to normal with: revive " + source + "; stop it outright with: kill " + source);
    return 0;
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

    @Override
    public Integer call() {
      if (all && source == null) {
        Confirm.destructive(yes, "stop the orders of every source (global intake flag off)", "all");
      }
      return toggle(spec, source, all, false);
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

    @Override
    public Integer call() {
      return toggle(spec, source, all, true);
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

    @Override
    public Integer call() {
      return withVariant(
          spec,
          source,
          "quarantine",
          null,
          "Gateways store its writes and answer 202 within about a second; nothing reaches the order system. "
              + "See them with: quarantine list --source "
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

    @Override
    public Integer call() {
      if (rate < 0 || rate > 1_000_000) {
        throw new CliFailure("--rate must be between 0 and 1000000, was " + rate);
      }
      return withVariant(
          spec,
          source,
          "throttle",
          "{\"ratePerSecond\": " + rate + "}",
          rate == 0
              ? "Gateways refuse all of its writes with 429 within about a second (rate 0); "
                  + "reads still pass."
              : "Gateways forward at most "
                  + rate
                  + " of its writes per second each (a fleet of n replicas lets through up to n x "
                  + rate
                  + "/s) within about a second; the rest get 429.");
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show the intake flag and every source flag in Unleash.")
  public static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      AdminSettings settings = AdminSettings.from(Env.system());
      List<FlagInfo> flags;
      try {
        flags = admin(settings).flags();
      } catch (UnleashAdmin.AdminException e) {
        throw new CliFailure(e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "Unleash %s, project '%s', environment '%s'%n%n",
          settings.adminUrl(), settings.project(), settings.environment());
      out.printf("%-14s %-34s %s%n", "SOURCE", "FLAG", "STATE");
      flags.stream()
          .filter(f -> f.name().equals(settings.globalFlag()))
          .findFirst()
          .ifPresentOrElse(
              f ->
                  out.printf(
                      "%-14s %-34s %s%n",
                      "(all)", f.name(), f.enabled() ? "on" : "OFF - no source may write"),
              () ->
                  out.printf(
                      "%-14s %-34s %s%n",
                      "(all)", settings.globalFlag(), "missing (treated as on)"));
      UnleashAdmin admin = admin(settings);
      for (FlagInfo f :
          flags.stream().filter(f -> f.name().startsWith(settings.flagPrefix())).toList()) {
        String state =
            f.enabled()
                ? admin.variants(f.name()).stream()
                    .findFirst()
                    .map(ShadowCommand::describe)
                    .orElse("on")
                : "OFF (killed)";
        out.printf(
            "%-14s %-34s %s%n",
            f.name().substring(settings.flagPrefix().length()), f.name(), state);
      }
      return 0;
    }
  }
}
