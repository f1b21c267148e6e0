package io.ordergate;

import io.ordergate.app.Await;
import io.ordergate.cli.CleanupCommand;
import io.ordergate.cli.CliFailure;
import io.ordergate.cli.DemoCommand;
import io.ordergate.cli.FlagCommands;
import io.ordergate.cli.OrderSystemCommand;
import io.ordergate.cli.QuarantineCommand;
import io.ordergate.cli.ServeCommand;
import io.ordergate.cli.ShadowCommand;
import io.ordergate.cli.SourcesCommand;
import io.ordergate.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the one jar: {@code serve} by default, plus the ops commands. */
@Command(
    name = "order-gate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "HTTP gateway in front of an order system. Every order source has an Unleash flag; "
          + "switching it off stops that source's orders within about a second, on every replica.",
      "",
      "Configured from ORDERGATE_* and UNLEASH_* environment variables (see README.md)."
    },
    footer = {
      "",
      "Examples:",
      "  java -jar order-gate.jar demo                  the whole stack on this machine",
      "  java -jar order-gate.jar kill perftest         stop a source through Unleash",
      "  java -jar order-gate.jar hold perftest         keep its orders in quarantine instead",
      "  java -jar order-gate.jar throttle partner --rate 50",
      "  java -jar order-gate.jar shadow perftest kill  rehearse a kill: count, don't refuse",
      "  java -jar order-gate.jar sources add web -e production",
      "  java -jar order-gate.jar cleanup --source perftest --since 2h   dry run of a clean-up",
      "  java -jar order-gate.jar quarantine release --source perftest --reason \"INC-42 false alarm\"",
      "  java -jar order-gate.jar order-system --port 18070   the demo backend alone (benchmarks)",
      "",
      "Exit codes: 0 ok, 2 a clear failure (message on stderr), 3 a kill/revive/hold/throttle not confirmed by every replica, 1 an unexpected error."
    },
    subcommands = {
      ServeCommand.class,
      DemoCommand.class,
      OrderSystemCommand.class,
      SourcesCommand.class,
      FlagCommands.Kill.class,
      FlagCommands.Revive.class,
      FlagCommands.Hold.class,
      FlagCommands.Throttle.class,
      ShadowCommand.class,
      FlagCommands.Status.class,
      CleanupCommand.class,
      QuarantineCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /**
   * Commands that keep running after {@code call()} returns, until a signal stops them, and log as
   * services do; every other command prints a report.
   */
  private static final java.util.Set<String> LONG_RUNNING =
      java.util.Set.of("serve", "demo", "order-system");

  public static void main(String[] args) {
    String[] effective = args.length == 0 ? new String[] {"serve"} : args;
    if (!LONG_RUNNING.contains(effective[0])) {
      quietLogging(); // before picocli loads the command classes, which create the first loggers
    }
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ConfigException
              || e instanceof CliFailure
              || e instanceof Await.Unfinished) {
            commandLine.getErr().println("order-gate: " + e.getMessage());
            return 2;
          }
          throw e;
        });
    cli.setParameterExceptionHandler(
        (e, arguments) -> {
          CommandLine where = e.getCommandLine();
          where
              .getErr()
              .println(
                  "order-gate: "
                      + UsageErrors.describe(e)
                      + " (see: "
                      + where.getCommandSpec().qualifiedName()
                      + " --help)");
          return 2;
        });
    int code = cli.execute(effective);
    if (code != 0 || !LONG_RUNNING.contains(effective[0])) {
      System.exit(code);
    }
  }

  /** Before the first logger exists: a report on stdout, only warnings (on stderr) beside it. */
  private static void quietLogging() {
    System.setProperty("ordergate.log.target", "System.err");
    if (System.getenv("ORDERGATE_LOG_LEVEL") == null) {
      System.setProperty("ordergate.log.level", "WARN");
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** The version this jar was built as. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Order Gate " + io.ordergate.metrics.BuildInfo.version()};
    }
  }
}
