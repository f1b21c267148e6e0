package io.ordergate.cli;

import io.ordergate.app.Await;
import io.ordergate.app.Parts;
import io.ordergate.cleanup.CleanupBusyException;
import io.ordergate.cleanup.CleanupExecution;
import io.ordergate.cleanup.CleanupPlan;
import io.ordergate.cleanup.CleanupReport;
import io.ordergate.cleanup.CleanupWindow;
import io.ordergate.cleanup.Cleanups;
import io.ordergate.cleanup.TimeArgs;
import io.ordergate.config.CleanupSettings;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.config.Env;
import io.ordergate.config.GatewayConfig;
import io.ordergate.config.ResilienceSettings;
import io.ordergate.db.Database;
import io.ordergate.db.Migrations;
import io.ordergate.metrics.GateMetrics;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Cancels, in the order system, the orders a source got through in a time window. Dry run unless
 * --execute.
 */
@Command(
    name = "cleanup",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Cancel the orders a source got through to the order system in a time window.",
      "Without --execute it is a dry run: it counts the orders the gateway forwarded from the source in [since, until) "
          + "(audit rows: POST, forwarded or released, 2xx), shows a sample and changes nothing.",
      "With --execute it cancels each of them with ORDERGATE_CANCEL_REQUEST (default 'DELETE /orders/{id}') at "
          + "ORDERGATE_BACKEND_URL, rate-limited, storing progress in PostgreSQL: run the same command again to resume "
          + "an interrupted run. Other sources and orders outside the window are never touched.",
      "Needs ORDERGATE_DATABASE_URL; with --execute also ORDERGATE_BACKEND_URL."
    },
    footer = {
      "",
      "Times: an instant (2026-11-28T10:00:00Z, or with an offset), a date-time or date without offset (taken as UTC), "
          + "a duration meaning that long ago (2h, 30m, 1h30m, 2d), or 'now'.",
      "",
      "Examples:",
      "  order-gate cleanup --source perftest --since 2h                      dry run: the last two hours",
      "  order-gate cleanup --source perftest --since 2026-11-28T08:00:00Z --until 2026-11-28T09:30:00Z",
      "  order-gate cleanup --source perftest --since 2026-11-28T08:00:00Z --until 2026-11-28T09:30:00Z --execute --rate 100",
      "",
      "Exit codes: 0 done and nothing failed (or a dry run); 2 some cancels failed (run it again to retry them), "
          + "the run stopped by itself, or a clear error; 130/143 interrupted by Ctrl-C/SIGTERM (run it again to resume)."
    })
public final class CleanupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--source",
      required = true,
      paramLabel = "SOURCE",
      description = "The source whose orders to cancel, e.g. perftest.")
  String source;

  @Option(
      names = "--since",
      required = true,
      paramLabel = "TIME",
      description = "Start of the window (inclusive).")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      defaultValue = "now",
      description = "End of the window (exclusive); default: now.")
  String until;

  @Option(
      names = "--execute",
      description = "Really cancel the orders (default: a dry run that changes nothing).")
  boolean execute;

  @Option(
      names = "--rate",
      paramLabel = "N",
      description = "Cancels per second at most (default: ORDERGATE_CLEANUP_RATE, or 50).")
  Integer rate;

  private final CountDownLatch reported = new CountDownLatch(1);

  @Override
  public Integer call() {
    try {
      return run();
    } finally {
      reported.countDown();
    }
  }

  private int run() {
    Env env = Env.system();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    TimeArgs.Resolved from;
    TimeArgs.Resolved to;
    CleanupWindow window;
    source = SourcesCommand.id(source);
    try {
      from = TimeArgs.parse("--since", since, now);
      to = TimeArgs.parse("--until", until, now);
      window = new CleanupWindow(source, from.instant(), to.instant());
    } catch (IllegalArgumentException e) {
      throw new CliFailure(e.getMessage());
    }
    DatabaseSettings database = DatabaseSettings.from(env);
    CleanupSettings settings = CleanupSettings.from(env);
    int pace = rate == null ? settings.ratePerSecond() : rate;
    if (pace < 1 || pace > CleanupSettings.MAX_RATE) {
      throw new CliFailure(
          "--rate must be between 1 and " + CleanupSettings.MAX_RATE + ", was " + pace);
    }
    URI backend =
        execute
            ? env.requiredHttpUrl(
                GatewayConfig.BACKEND_URL, "the order system to send the cancels to")
            : null;
    ResilienceSettings resilience = ResilienceSettings.from(env);
    SourcesCommand.requireKnown(source, "audit");

    PrintWriter out = spec.commandLine().getOut();
    out.printf("Source:  %s%n", source);
    out.printf(
        "Window:  received from %s (%s) until %s (%s), end excluded%n",
        window.since(), from.how(), window.until(), to.how());
    out.flush();

    Vertx vertx = CliDatabase.newVertx();
    Pool pool = Database.pool(vertx, database);
    try {
      Await.result(Migrations.migrate(pool), 60);
      Cleanups cleanups =
          new Parts(vertx, pool, database, new GateMetrics(), instanceId(), Clock.systemUTC())
              .cleanups(settings, backend, resilience);
      CleanupPlan plan = Await.result(cleanups.plan(window), 300);
      CleanupPrinting.plan(out, plan);
      String again =
          Launcher.command()
              + " cleanup --source "
              + source
              + " --since "
              + window.since()
              + " --until "
              + window.until()
              + " --execute"
              + (rate == null ? "" : " --rate " + pace);
      if (!execute) {
        out.println();
        out.println(
            "DRY RUN: nothing was cancelled. To cancel these orders with '"
                + settings.cancelRequest()
                + "', run:");
        out.println("  " + again);
        if (env.optional(GatewayConfig.BACKEND_URL).isEmpty()) {
          out.println(
              "  (with ORDERGATE_BACKEND_URL set to the order system, which receives the cancels)");
        }
        out.flush();
        return 0;
      }
      return execute(out, cleanups, window, pace, backend, settings, again);
    } catch (CliFailure e) {
      throw e;
    } catch (Await.Unfinished | CleanupBusyException e) {
      throw new CliFailure(e.getMessage());
    } catch (RuntimeException e) {
      throw new CliFailure("clean-up failed (" + database + "): " + e.getMessage());
    } finally {
      Await.result(pool.close(), 30);
      Await.result(vertx.close(), 30);
    }
  }

  private int execute(
      PrintWriter out,
      Cleanups cleanups,
      CleanupWindow window,
      int pace,
      URI backend,
      CleanupSettings settings,
      String again) {
    CleanupExecution execution = Await.result(cleanups.start(window, pace), 300);
    out.println();
    out.printf(
        "Run %d: sending %d cancels ('%s' at %s) at up to %d/s; Ctrl-C stops after the requests in flight.%n",
        execution.runId(), execution.progress().total(), settings.cancelRequest(), backend, pace);
    out.flush();
    // let the report and the resume command reach the terminal before the JVM exits
    Runnable unhook =
        Lifecycle.stopOnSignal(
            "clean-up", () -> execution.stop("interrupted"), reported, Duration.ofSeconds(60));
    ProgressBar bar =
        ProgressBar.start(
            System.err,
            "clean-up",
            () -> {
              CleanupExecution.Progress p = execution.progress();
              return new ProgressBar.Reading(
                  p.done(),
                  p.total(),
                  p.perSecond(),
                  p.cancelled()
                      + " cancelled, "
                      + p.gone()
                      + " already gone, "
                      + p.failed()
                      + " failed");
            });
    CleanupReport report;
    try {
      report = Await.result(execution.completion(), TimeUnit.DAYS.toSeconds(30));
    } finally {
      bar.stop();
      unhook.run();
    }
    CleanupPrinting.report(out, report);
    String stopped = execution.stopReason();
    if (stopped != null) {
      out.println();
      out.println(
          "Stopped ("
              + stopped
              + ") with "
              + report.pending()
              + " orders not yet sent; nothing is lost. Resume with:");
      out.println("  " + again);
      out.println(
          "Cancels that were in flight when it stopped may be sent again; the order system answers 404/410 for those.");
      out.flush();
      if (!"interrupted".equals(stopped)) {
        spec.commandLine()
            .getErr()
            .println("order-gate: clean-up run " + report.runId() + " stopped: " + stopped);
      }
      return 2;
    }
    if (report.failed() > 0) {
      out.println();
      out.println(
          "To retry the failed cancels once the cause is fixed, run the same command again:");
      out.println("  " + again);
      out.flush();
      spec.commandLine()
          .getErr()
          .println(
              "order-gate: "
                  + report.failed()
                  + " cancels failed in clean-up run "
                  + report.runId());
      return 2;
    }
    return 0;
  }

  private static String instanceId() {
    String host = System.getenv("HOSTNAME");
    return "cli@"
        + (host == null || host.isBlank() ? "localhost" : host)
        + "-"
        + ProcessHandle.current().pid();
  }
}
