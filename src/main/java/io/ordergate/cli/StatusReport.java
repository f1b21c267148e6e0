package io.ordergate.cli;

import io.ordergate.config.AdminSettings;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.config.Env;
import io.ordergate.flags.UnleashAdmin;
import io.ordergate.flags.UnleashAdmin.FlagInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * What {@code status} prints: the intake flag and every source flag as Unleash has them, then (with
 * a database) what the fleet enforces. Apart from {@link FlagCommands} because it only reads and
 * prints, while the other flag commands change flags.
 */
final class StatusReport {
  private StatusReport() {}

  /** Prints Unleash's view, then the fleet's when a database is configured; returns 0. */
  static int print(PrintWriter out) {
    AdminSettings settings = AdminSettings.from(Env.system());
    boolean withDatabase = Env.system().optional(DatabaseSettings.URL).isPresent();
    Map<String, String> unleash = null;
    // With a database, one Vert.x for both: Unleash through its HTTP client, and the database
    // opened (connection, schema check) beside the Unleash call rather than after it.
    io.vertx.core.Vertx vertx = withDatabase ? CliDatabase.newVertx() : null;
    java.util.concurrent.CompletableFuture<CliDatabase> opening =
        withDatabase ? CliDatabase.openBeside(() -> CliDatabase.open(vertx)) : null;
    try {
      unleash = unleashTable(FlagCommands.admin(settings, vertx), settings, out);
    } catch (UnleashAdmin.AdminException e) {
      if (!(withDatabase && e.unreachable())) {
        throw new CliFailure(e.getMessage());
      }
      out.printf("Unleash %s: %s%n", settings.adminUrl(), e.getMessage());
    }
    if (withDatabase) {
      try (CliDatabase db = CliDatabase.joined(opening)) {
        new FleetStatus(db, settings.flagPrefix(), unleash).print(out);
      }
    } else {
      out.printf(
          "%nSet %s to see the interventions in force and what every replica enforces.%n",
          DatabaseSettings.URL);
    }
    return 0;
  }

  /** Prints the Unleash table; returns each source's flag as "off", "on", "on, variant …". */
  private static Map<String, String> unleashTable(
      UnleashAdmin admin, AdminSettings settings, PrintWriter out) {
    List<FlagInfo> flags = admin.flags();
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
                    "%-14s %-34s %s%n", "(all)", settings.globalFlag(), "missing (treated as on)"));
    Map<String, String> bySource = new java.util.TreeMap<>();
    for (FlagInfo f :
        flags.stream().filter(f -> f.name().startsWith(settings.flagPrefix())).toList()) {
      String state =
          f.enabled()
              ? admin.variants(f.name()).stream()
                  .findFirst()
                  .map(ShadowCommand::describe)
                  .orElse("on")
              : "OFF (killed)";
      String source = f.name().substring(settings.flagPrefix().length());
      bySource.put(source, f.enabled() ? state : "off");
      out.printf("%-14s %-34s %s%n", source, f.name(), state);
    }
    return bySource;
  }
}
