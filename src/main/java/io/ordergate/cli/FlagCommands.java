package io.ordergate.cli;

import io.ordergate.Main.CliFailure;
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

/** {@code kill}, {@code revive} and {@code status}: the kill switch from a terminal. */
public final class FlagCommands {
  private FlagCommands() {}

  static UnleashAdmin admin(AdminSettings settings) {
    return new UnleashAdmin(settings);
  }

  static int toggle(CommandSpec spec, String source, boolean all, boolean on) {
    AdminSettings settings = AdminSettings.from(Env.system());
    if ((source == null) == !all) {
      throw new CliFailure("name one source, or --all for every source (flag '" + settings.globalFlag() + "')");
    }
    String flag = all ? settings.globalFlag() : settings.flagPrefix() + source;
    UnleashAdmin admin = admin(settings);
    List<String> stillKilled;
    try {
      admin.setEnabled(flag, on);
      stillKilled = all && on ? killedSources(admin, settings) : List.of();
    } catch (UnleashAdmin.AdminException e) {
      String hint = !all && e.getMessage().contains("HTTP 404")
          ? "; create the flag in Unleash first (a source without a flag cannot be killed on its own), or check the name with: status"
          : "";
      throw new CliFailure(e.getMessage() + hint);
    }
    PrintWriter out = spec.commandLine().getOut();
    String state = "flag '" + flag + "' is now " + (on ? "ON" : "OFF") + " in Unleash environment '" + settings.environment() + "'.";
    if (all) {
      out.println((on ? "Order intake is open again: " : "Stopped every source: ") + state);
      out.println(on
          ? (stillKilled.isEmpty() ? "Gateways accept writes again within about a second."
              : "Gateways accept writes again within about a second, except from sources killed one by one: "
                  + String.join(", ", stillKilled) + " (revive them by name).")
          : "Gateways refuse all writes with 503 within about a second; reads still pass. Undo with: revive --all");
    } else {
      out.println((on ? "Revived source '" : "Killed source '") + source + "': " + state);
      out.println(on
          ? "Gateways accept its writes again within about a second."
          : "Gateways refuse its writes with 503 within about a second; reads still pass. Undo with: revive " + source);
    }
    return 0;
  }

  private static List<String> killedSources(UnleashAdmin admin, AdminSettings settings) {
    return admin.flags().stream()
        .filter(f -> f.name().startsWith(settings.flagPrefix()) && !f.enabled())
        .map(f -> f.name().substring(settings.flagPrefix().length()))
        .toList();
  }

  @Command(name = "kill", mixinStandardHelpOptions = true,
      description = "Stop a source's orders: turn its Unleash flag off (needs UNLEASH_ADMIN_URL, UNLEASH_ADMIN_TOKEN).")
  public static final class Kill implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "SOURCE", arity = "0..1", description = "The source id, e.g. perftest.") String source;
    @Option(names = "--all", description = "Stop every source: turn the global intake flag off.") boolean all;

    @Override
    public Integer call() {
      return toggle(spec, source, all, false);
    }
  }

  @Command(name = "revive", mixinStandardHelpOptions = true,
      description = "Let a source's orders through again: turn its Unleash flag on.")
  public static final class Revive implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "SOURCE", arity = "0..1", description = "The source id, e.g. perftest.") String source;
    @Option(names = "--all", description = "Turn the global intake flag back on.") boolean all;

    @Override
    public Integer call() {
      return toggle(spec, source, all, true);
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the intake flag and every source flag in Unleash.")
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
      out.printf("Unleash %s, project '%s', environment '%s'%n%n", settings.adminUrl(), settings.project(), settings.environment());
      out.printf("%-14s %-34s %s%n", "SOURCE", "FLAG", "STATE");
      flags.stream().filter(f -> f.name().equals(settings.globalFlag())).findFirst().ifPresentOrElse(
          f -> out.printf("%-14s %-34s %s%n", "(all)", f.name(), f.enabled() ? "on" : "OFF - no source may write"),
          () -> out.printf("%-14s %-34s %s%n", "(all)", settings.globalFlag(), "missing (treated as on)"));
      flags.stream().filter(f -> f.name().startsWith(settings.flagPrefix())).forEach(f ->
          out.printf("%-14s %-34s %s%n", f.name().substring(settings.flagPrefix().length()), f.name(), f.enabled() ? "on" : "OFF (killed)"));
      return 0;
    }
  }
}
