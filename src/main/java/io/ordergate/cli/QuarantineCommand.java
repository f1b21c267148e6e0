package io.ordergate.cli;

import io.ordergate.app.Parts;
import io.ordergate.audit.AuditWriter;
import io.ordergate.config.AdminSettings;
import io.ordergate.config.AuditSettings;
import io.ordergate.config.ConfigException;
import io.ordergate.config.Env;
import io.ordergate.config.GatewayConfig;
import io.ordergate.config.QuarantineSettings;
import io.ordergate.config.ResilienceSettings;
import io.ordergate.flags.UnleashAdmin;
import io.ordergate.forward.Forwarder;
import io.ordergate.problem.GateException;
import io.ordergate.quarantine.QuarantineStore;
import io.ordergate.quarantine.QuarantinedOrder;
import io.ordergate.quarantine.Release;
import io.ordergate.quarantine.Selection;
import java.io.Console;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quarantine list|release|discard}: the held orders of quarantined sources, from a terminal.
 */
@Command(
    name = "quarantine",
    mixinStandardHelpOptions = true,
    description =
        "List, release or discard orders held for sources whose flag has the variant 'quarantine' "
            + "(needs ORDERGATE_DATABASE_URL; release also ORDERGATE_BACKEND_URL).",
    subcommands = {
      QuarantineCommand.ListHeld.class,
      QuarantineCommand.ReleaseHeld.class,
      QuarantineCommand.DiscardHeld.class
    })
public final class QuarantineCommand implements Runnable {
  /** Long enough for any release; Ctrl-C is how an operator ends one early. */
  private static final long RELEASE_BOUND_SECONDS = TimeUnit.DAYS.toSeconds(7);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Show held orders (oldest first) and counts by state.")
  static final class ListHeld implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--source", description = "Only this source.")
    String source;

    @Option(
        names = "--state",
        description = "Only this state: held, releasing, released, in_doubt, discarded.")
    String state;

    @Option(
        names = "--limit",
        defaultValue = "50",
        description = "At most this many orders (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public void run() {
      if (limit < 1 || limit > 10_000) {
        throw new CliFailure("--limit must be between 1 and 10000");
      }
      String src = source == null ? null : SourcesCommand.id(source);
      try {
        Selection.checkSource(src);
        QuarantineStore.checkState(state);
      } catch (IllegalArgumentException e) {
        throw new CliFailure(e.getMessage());
      }
      try (CliDatabase db = CliDatabase.open()) {
        if (src != null) {
          SourcesCommand.requireKnown(db, src, "quarantine");
        }
        QuarantineStore store = new QuarantineStore(db.pool, cliInstance());
        Map<String, Map<String, Long>> counts = db.await(store.counts(src), 60);
        List<QuarantinedOrder> orders = db.await(store.list(src, state, null, 0, limit), 60);
        PrintWriter out = spec.commandLine().getOut();
        if (counts.isEmpty()) {
          out.println(
              src == null
                  ? "Nothing was ever quarantined."
                  : "Nothing was ever quarantined for source '" + src + "'.");
          return;
        }
        out.printf("%-20s %s%n", "SOURCE", "ORDERS BY STATE");
        counts.forEach(
            (s, byState) -> out.printf("%-20s %s%n", s, byState.toString().replaceAll("[{}]", "")));
        out.println();
        out.printf(
            "%-8s %-14s %-10s %-20s %-7s %-30s %-38s %s%n",
            "ID",
            "SOURCE",
            "STATE",
            "RECEIVED (UTC)",
            "METHOD",
            "PATH",
            "REQUEST ID",
            "BACKEND / REASON");
        for (QuarantinedOrder o : orders) {
          String backend =
              o.backendStatus() != null
                  ? o.backendStatus() + " " + (o.backendOrderId() == null ? "" : o.backendOrderId())
                  : o.backendError() != null ? o.backendError() : "";
          out.printf(
              "%-8d %-14s %-10s %-20s %-7s %-30s %-38s %s%s%n",
              o.id(),
              o.sourceId(),
              o.state(),
              SourcesCommand.utc(o.receivedAt().atOffset(ZoneOffset.UTC)),
              o.method(),
              o.path(),
              o.requestId(),
              backend,
              o.reason() == null ? "" : "  (" + o.reason() + ")");
        }
        if (orders.size() == limit) {
          out.println(
              "(first "
                  + limit
                  + " shown; raise --limit or use GET /ops/quarantine?after="
                  + orders.get(orders.size() - 1).id()
                  + ")");
        }
      }
    }
  }

  /** What release and discard share: which orders, why, and whether to ask first. */
  abstract static class Action implements Runnable {
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
     * Asks on the terminal unless --yes or stdin is not a terminal; false means the operator said
     * no.
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
     * Ops act on old orders while new ones may keep arriving: say so when the flag still holds
     * them.
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
  }

  @Command(
      name = "discard",
      mixinStandardHelpOptions = true,
      description = "Discard held orders for good: they are never sent; the reason is recorded.")
  static final class DiscardHeld extends Action {
    @Override
    public void run() {
      Selection selection = selection();
      PrintWriter out = spec.commandLine().getOut();
      try (CliDatabase db = CliDatabase.open()) {
        SourcesCommand.requireKnown(db, selection.source(), "quarantine");
        QuarantineStore store = new QuarantineStore(db.pool, cliInstance());
        long[] counted = snapshot(db, store, selection);
        long n = counted[0];
        if (n == 0) {
          out.println("Nothing to discard: " + what(selection, 0) + ".");
          return;
        }
        if (!confirmed(
            "Discard " + what(selection, n) + " (reason: " + selection.reason() + ")?")) {
          throw new CliFailure("nothing discarded: not confirmed");
        }
        // Only what the operator was asked about: orders held while the question was open stay
        // held.
        Map<String, Long> done =
            db.await(store.discard(selection, Clock.systemUTC().instant(), counted[1]), 60);
        out.println(
            "Discarded "
                + done.values().stream().mapToLong(Long::longValue).sum()
                + " order(s) of '"
                + selection.source()
                + "' (reason: "
                + selection.reason()
                + ").");
      }
      noteIfStillQuarantined(selection.source());
    }
  }

  @Command(
      name = "release",
      mixinStandardHelpOptions = true,
      description = {
        "Send held orders on to the order system, oldest first, each at most once, at a bounded rate.",
        "Ctrl-C stops after the current order; run the same command again to resume."
      })
  static final class ReleaseHeld extends Action {
    @Option(
        names = "--rate",
        description = "Orders per second (default ORDERGATE_QUARANTINE_RELEASE_RATE, else 20).")
    Integer rate;

    @Override
    public void run() {
      Env env = Env.system();
      Selection selection = selection();
      int perSecond;
      try {
        perSecond =
            rate == null
                ? QuarantineSettings.from(env).releaseRatePerSecond()
                : Release.checkRate(rate);
      } catch (IllegalArgumentException e) {
        throw new CliFailure(e.getMessage());
      }
      URI backend = GatewayConfig.backendUrl(env);
      ResilienceSettings resilience = ResilienceSettings.from(env);
      AuditSettings auditSettings = AuditSettings.from(env);
      PrintWriter out = spec.commandLine().getOut();
      Release.Progress result;
      try (CliDatabase db = CliDatabase.open()) {
        SourcesCommand.requireKnown(db, selection.source(), "quarantine");
        QuarantineStore store = new QuarantineStore(db.pool, cliInstance());
        long n = count(db, store, selection);
        if (n == 0) {
          out.println("Nothing to release: " + what(selection, 0) + ".");
          noteIfStillQuarantined(selection.source());
          return;
        }
        if (!confirmed(
            "Release "
                + what(selection, n)
                + " to "
                + backend
                + " at up to "
                + perSecond
                + "/s (reason: "
                + selection.reason()
                + ")?")) {
          throw new CliFailure("nothing released: not confirmed");
        }
        noteIfStillQuarantined(selection.source());
        Parts parts = db.parts(cliInstance());
        Forwarder forwarder = parts.forwarder(backend, resilience, 1);
        AuditWriter audit = parts.auditWriter(cliSpool(auditSettings));
        db.await(audit.start(), 30);
        Release job;
        try {
          job =
              db.await(
                  Release.start(
                          UUID.randomUUID().toString(),
                          parts.releaseTools(store, forwarder, audit),
                          selection,
                          perSecond)
                      .recover(
                          e ->
                              io.vertx.core.Future.failedFuture(
                                  e instanceof GateException g
                                      ? new CliFailure(g.getMessage())
                                      : e)),
                  60);
        } catch (CliFailure e) {
          db.await(forwarder.close(), 10);
          throw e;
        }
        CountDownLatch reported = new CountDownLatch(1);
        Lifecycle.stopOnSignal(
            "quarantine release",
            () -> job.stop("interrupted by a signal (Ctrl-C)"),
            reported,
            resilience.backendTimeout().plusSeconds(15));
        ProgressBar bar =
            ProgressBar.start(
                System.err, "release " + selection.source(), () -> reading(job.progress()));
        try {
          result = db.await(job.done(), RELEASE_BOUND_SECONDS);
          bar.stop();
          db.await(audit.drain(5_000), 30);
          db.await(forwarder.close(), 10);
          summary(out, result, selection);
        } finally {
          bar.stop();
          reported.countDown(); // lets a Ctrl-C end the process only once the summary is out
        }
      }
      if (result.state() == Release.State.FAILED) {
        throw new CliFailure(
            "release stopped: " + result.stopReason() + "." + resumeHint(selection));
      }
    }

    private static void summary(PrintWriter out, Release.Progress p, Selection s) {
      Duration took = Duration.between(p.startedAt(), p.finishedAt());
      out.printf(
          "Release of '%s' %s: %d/%d sent in %.1f s%n",
          p.source(),
          p.state().name().toLowerCase(),
          p.sent(),
          p.total(),
          took.toMillis() / 1000.0);
      Map<String, Long> byClass = new TreeMap<>();
      p.releasedByStatus()
          .forEach((status, n) -> byClass.merge(status.charAt(0) + "xx", n, Long::sum));
      out.printf(
          "  released  : %d%s%n",
          p.released(),
          byClass.isEmpty()
              ? ""
              : "  (" + byClass.toString().replaceAll("[{}]", "").replace("=", ": ") + ")");
      out.printf(
          "  in_doubt  : %d%s%n",
          p.inDoubt(),
          p.inDoubt() + p.interruptedFound() == 0
              ? ""
              : "  (may or may not have reached the order system; see: quarantine list --state in_doubt; resend with --ids, or discard)");
      if (p.interruptedFound() > 0) {
        out.printf(
            "  found     : %d order(s) left 'releasing' by an earlier interrupted release, now in_doubt, not resent%n",
            p.interruptedFound());
      }
      out.printf(
          "  failed    : %d%s%n", p.failed(), p.failed() == 0 ? "" : "  (not sent, held again)");
      out.printf("  remaining : %d%n", p.remaining());
      if (p.state() == Release.State.STOPPED) {
        out.println("Stopped: " + p.stopReason() + "." + resumeHint(s));
      }
      out.flush();
    }

    private static String resumeHint(Selection s) {
      return " Orders already sent are never sent again; resume with: "
          + Launcher.command()
          + " quarantine release --source "
          + s.source()
          + (s.byIds()
              ? " --ids " + String.join(",", s.ids().stream().map(String::valueOf).toList())
              : "")
          + " --reason "
          + Launcher.quote(s.reason());
    }
  }

  private static ProgressBar.Reading reading(Release.Progress p) {
    double seconds =
        Math.max(0.001, Duration.between(p.startedAt(), Instant.now()).toMillis() / 1000.0);
    return new ProgressBar.Reading(
        p.sent() + p.failed(),
        p.total(),
        p.sent() / seconds,
        p.released() + " released, " + p.inDoubt() + " in doubt, " + p.failed() + " failed");
  }

  /**
   * A release run from the command line spools under {@code cli/} of the gateway's spool directory:
   * never the gateway's own spool, and a run that could not ship everything is shipped by the next.
   */
  private static AuditSettings cliSpool(AuditSettings s) {
    return new AuditSettings(
        s.bufferSize(),
        s.batchSize(),
        s.flushInterval(),
        s.spoolDir().resolve("cli"),
        s.spoolMaxBytes(),
        s.fsync(),
        s.retentionDays(),
        s.samplePerSecond());
  }

  private static String cliInstance() {
    return "order-gate-cli-" + ProcessHandle.current().pid();
  }
}
