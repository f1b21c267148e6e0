package io.ordergate.cli;

import io.ordergate.config.AdminSettings;
import io.ordergate.config.ConfigException;
import io.ordergate.config.Env;
import io.ordergate.flags.UnleashAdmin;
import io.ordergate.quarantine.QuarantineStore;
import io.ordergate.quarantine.Selection;
import java.io.Console;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What release and discard share: which orders, why, and whether to ask first. */
abstract class QuarantineAction implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--source",
      required = true,
      description = "The source whose held orders to act on.")
  String source;

  @Option(names = "--ids", description = "Only these orders, e.g. 4,5,9 (held or in_doubt).")
  String ids;

  @Option(
      names = "--reason",
      required = true,
      description = "Why; recorded with every order touched.")
  String reason;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  Selection selection() {
    String src = SourcesCommand.id(source);
    try {
      return new Selection(src, Selection.parseIds(ids), reason);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(e.getMessage());
    }
  }

  /**
   * Asks on the terminal unless --yes or stdin is not a terminal; false means the operator said no.
   */
  boolean confirmed(String question) {
    Console console = System.console();
    if (yes || console == null) {
      return true;
    }
    String answer = console.readLine("%s [y/N] ", question);
    return answer != null
        && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
  }

  /**
   * Ops act on old orders while new ones may keep arriving: say so when the flag still holds them.
   */
  void noteIfStillQuarantined(String sourceId) {
    PrintWriter err = spec.commandLine().getErr();
    try {
      AdminSettings admin = AdminSettings.from(Env.system());
      String flag = admin.flagPrefix() + sourceId;
      if (new UnleashAdmin(admin)
          .variants(flag).stream().anyMatch(v -> v.name().equals("quarantine"))) {
        err.println(
            "Note: flag '"
                + flag
                + "' still has the variant 'quarantine': new orders from '"
                + sourceId
                + "' keep being held. To forward them again: revive "
                + sourceId
                + " (or remove the variant in Unleash).");
      }
    } catch (ConfigException e) {
      err.println(
          "Note: flag of '"
              + sourceId
              + "' not checked ("
              + e.getMessage()
              + "); while it has the variant 'quarantine', new orders keep being held.");
    } catch (UnleashAdmin.AdminException e) {
      err.println("Note: could not check the flag of '" + sourceId + "': " + e.getMessage());
    }
    err.flush();
  }

  static long count(CliDatabase db, QuarantineStore store, Selection selection) {
    return db.await(store.snapshot(db.pool, selection), 60)[0];
  }

  /** {count, newest id} of the selection now. */
  static long[] snapshot(CliDatabase db, QuarantineStore store, Selection selection) {
    return db.await(store.snapshot(db.pool, selection), 60);
  }

  static String what(Selection s, long n) {
    return (n == 0 ? "no" : Long.toString(n))
        + (s.byIds() ? " selected order(s) (held or in_doubt)" : " held order(s)")
        + " of '"
        + s.source()
        + "'";
  }

  /** The instance name a command-line run records on the orders it touches. */
  static String cliInstance() {
    return "order-gate-cli-" + ProcessHandle.current().pid();
  }
}
