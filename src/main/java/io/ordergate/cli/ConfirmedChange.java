package io.ordergate.cli;

import io.ordergate.config.AdminSettings;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.config.Env;
import io.ordergate.flags.UnleashAdmin;
import io.ordergate.intervention.Action;
import io.ordergate.intervention.Intervention;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The confirmed commands' common part: change Unleash (the record), publish the intervention, wait
 * until every live replica acknowledged it ({@link Confirmation}).
 */
final class ConfirmedChange {
  private ConfirmedChange() {}

  /**
   * A confirmed command on one source: change Unleash (the record), publish the intervention, wait
   * until every live replica acknowledged it.
   *
   * @param unleashChange makes the Unleash change and returns how it reads, e.g. "flag
   *     'order-source.perftest' is now OFF in Unleash environment 'production'"
   * @param hint what follows, printed last
   */
  static int run(
      CommandSpec spec,
      String source,
      Action action,
      int rate,
      Confirm confirm,
      java.util.function.Function<UnleashAdmin, String> unleashChange,
      String hint) {
    AdminSettings settings = AdminSettings.from(Env.system());
    java.time.Duration wait = Confirmation.parseWait(confirm.wait);
    boolean withDatabase = Env.system().optional(DatabaseSettings.URL).isPresent();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String recorded;
    long revision = 0;
    // With a database, one Vert.x carries both halves: the Unleash change on its HTTP client (no
    // second client stack to start) and, beside it, the database connection, its schema check and
    // the fleet to wait for — each takes a few hundred ms of a command's start.
    io.vertx.core.Vertx vertx = withDatabase ? CliDatabase.newVertx() : null;
    java.util.concurrent.CompletableFuture<Opened> opening =
        withDatabase
            ? CliDatabase.openBeside(
                () -> {
                  CliDatabase db = CliDatabase.open(vertx);
                  return new Opened(db, Confirmation.fleet(db, source));
                })
            : null;
    UnleashAdmin admin = FlagCommands.admin(settings, vertx);
    CliTiming.mark("Admin API client made");
    try {
      recorded = unleashChange.apply(admin);
      CliTiming.mark("Unleash changed");
      revision = revisionOf(admin, settings.flagPrefix() + source);
      CliTiming.mark("Unleash revision read");
      out.println("Unleash: " + recorded + ".");
    } catch (UnleashAdmin.FlagNotFoundException e) {
      throw SourceIds.notInUnleash(admin, settings, source, e);
    } catch (UnleashAdmin.AdminException e) {
      if (!(withDatabase && e.unreachable())) {
        String notFound =
            e.getMessage().contains("HTTP 404")
                ? "; create the flag in Unleash first (a source without a flag cannot be killed on its own), or check the name with: status"
                : "";
        throw new CliFailure(e.getMessage() + notFound);
      }
      // A kill must work while Unleash is down: the intervention alone reaches every replica.
      recorded = "Unleash not changed (" + e.getMessage() + ")";
      err.println(
          "order-gate: warning: "
              + e.getMessage()
              + "; the change goes to the replicas without Unleash and holds until the flag next"
              + " changes there (status shows the disagreement)");
    }
    out.flush();
    if (!withDatabase) {
      out.println(hint);
      out.flush();
      return Confirmation.cannotConfirm(err);
    }
    int code;
    Opened opened = CliDatabase.joined(opening);
    CliDatabase db = opened.db();
    CliTiming.mark("database ready");
    try {
      code =
          Confirmation.publishAndAwait(
              db,
              opened.fleet(),
              Intervention.draft(source, action, rate, confirm.actor(), confirm.reason, recorded)
                  .withUnleashRevision(revision),
              wait,
              out,
              err);
    } finally {
      // The command exits next: the intervention is committed and acknowledged (or reported as
      // not), so an orderly close of the pool and of Vert.x would only hold the prompt back.
      db.closeInBackground();
    }
    CliTiming.mark("confirmed");
    out.println(hint);
    out.flush();
    return code;
  }

  /**
   * The revision by which the change is in Unleash: replicas that later see the flag as it was
   * before it (a late webhook, a fetch of an older revision) know that is not the next change,
   * which would end the intervention. 0 (every state counts, as before) if Unleash does not say.
   */
  private static long revisionOf(UnleashAdmin admin, String flag) {
    try {
      return admin.latestEventId(flag);
    } catch (UnleashAdmin.AdminException e) {
      return 0;
    }
  }

  /** The database, schema checked, and the fleet the intervention must be confirmed by. */
  private record Opened(CliDatabase db, Confirmation.Fleet fleet) {}

  /** Options of every confirmed command. */
  static final class Confirm {
    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        description = "Why, e.g. an incident number; recorded with the intervention.")
    String reason = "";

    @Option(
        names = "--wait",
        paramLabel = "DURATION",
        defaultValue = "5s",
        description =
            "How long to wait for every live replica to confirm (default: ${DEFAULT-VALUE}); exit 3 if some do not.")
    String wait;

    @Option(
        names = "--by",
        paramLabel = "NAME",
        description =
            "Who does it (default: the OS user); shown in status and logged by every replica.")
    String by;

    String actor() {
      if (by != null && !by.isBlank()) {
        return by.trim();
      }
      String user = System.getProperty("user.name");
      return user == null || user.isBlank() ? "unknown" : user;
    }
  }
}
