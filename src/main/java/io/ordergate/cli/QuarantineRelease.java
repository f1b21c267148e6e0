package io.ordergate.cli;

import io.ordergate.app.Parts;
import io.ordergate.audit.AuditWriter;
import io.ordergate.config.AuditSettings;
import io.ordergate.config.Env;
import io.ordergate.config.GatewayConfig;
import io.ordergate.config.QuarantineSettings;
import io.ordergate.config.ResilienceSettings;
import io.ordergate.forward.Forwarder;
import io.ordergate.problem.GateException;
import io.ordergate.quarantine.QuarantineStore;
import io.ordergate.quarantine.Release;
import io.ordergate.quarantine.Selection;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quarantine release}: the one subcommand that sends orders, with a progress bar, a signal
 * handler and a summary, hence its own file.
 */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description = {
      "Send held orders on to the order system, oldest first, each at most once, at a bounded rate.",
      "Ctrl-C stops after the current order; run the same command again to resume."
    })
final class QuarantineRelease extends QuarantineAction {
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
                                e instanceof GateException g ? new CliFailure(g.getMessage()) : e)),
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
      throw new CliFailure("release stopped: " + result.stopReason() + "." + resumeHint(selection));
    }
  }

  private static void summary(PrintWriter out, Release.Progress p, Selection s) {
    Duration took = Duration.between(p.startedAt(), p.finishedAt());
    out.printf(
        "Release of '%s' %s: %d/%d sent in %.1f s%n",
        p.source(), p.state().name().toLowerCase(), p.sent(), p.total(), took.toMillis() / 1000.0);
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

  /** Long enough for any release; Ctrl-C is how an operator ends one early. */
  private static final long RELEASE_BOUND_SECONDS = TimeUnit.DAYS.toSeconds(7);

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
        s.samplePerSecond(),
        s.shipInterval());
  }
}
