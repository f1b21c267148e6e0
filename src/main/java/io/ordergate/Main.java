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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
    })
// The subcommands are added by commandLine(): see COMMANDS.
public final class Main implements Runnable {
  /**
   * Commands that keep running after {@code call()} returns, until a signal stops them, and log as
   * services do; every other command prints a report.
   */
  private static final java.util.Set<String> LONG_RUNNING =
      java.util.Set.of("serve", "demo", "order-system");

  /**
   * The commands, in the order {@code --help} lists them. Only the one invoked gets a picocli model
   * (reflecting over a command class loads what its fields and methods name, and building all of
   * them cost a one-shot command about a third of its start); anything else ({@code --help}, {@code
   * help}, a typo) gets them all.
   */
  private static final Map<String, Class<?>> COMMANDS = commands();

  private static Map<String, Class<?>> commands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("serve", ServeCommand.class);
    m.put("demo", DemoCommand.class);
    m.put("order-system", OrderSystemCommand.class);
    m.put("sources", SourcesCommand.class);
    m.put("kill", FlagCommands.Kill.class);
    m.put("revive", FlagCommands.Revive.class);
    m.put("hold", FlagCommands.Hold.class);
    m.put("throttle", FlagCommands.Throttle.class);
    m.put("shadow", ShadowCommand.class);
    m.put("status", FlagCommands.Status.class);
    m.put("cleanup", CleanupCommand.class);
    m.put("quarantine", QuarantineCommand.class);
    m.put("help", CommandLine.HelpCommand.class);
    return Collections.unmodifiableMap(m);
  }

  public static void main(String[] args) {
    io.ordergate.cli.CliTiming.mark("main");
    String[] effective = args.length == 0 ? new String[] {"serve"} : args;
    if (!LONG_RUNNING.contains(effective[0])) {
      quietLogging(); // before picocli loads the command classes, which create the first loggers
    }
    CommandLine cli = commandLine(effective[0]);
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
    io.ordergate.cli.CliTiming.mark("command line built");
    int code = cli.execute(effective);
    io.ordergate.cli.CliTiming.mark("done, exit " + code);
    if (code != 0 || !LONG_RUNNING.contains(effective[0])) {
      io.ordergate.cli.CommandExit.closeAll();
      System.exit(code);
    }
  }

  /**
   * The command line with the model of {@code first}'s command only when it names one (other than
   * {@code help}), else with every command.
   */
  static CommandLine commandLine(String first) {
    CommandLine cli = new CommandLine(new Main());
    Class<?> only = first.equals("help") ? null : COMMANDS.get(first);
    if (only != null) {
      cli.addSubcommand(first, only);
    } else {
      COMMANDS.forEach(cli::addSubcommand);
    }
    return cli;
  }

  /**
   * Before the first logger exists: a report on stdout, only warnings (on stderr) beside it; and no
   * JFR events from Netty.
   */
  private static void quietLogging() {
    System.setProperty("ordergate.log.target", "System.err");
    System.setProperty(
        io.ordergate.cli.CliLogging.PROPERTY, "true"); // logback.xml's levels, in code
    if (System.getenv("ORDERGATE_LOG_LEVEL") == null) {
      System.setProperty("ordergate.log.level", "WARN");
    }
    // Netty's allocation events for JFR: a one-shot command is never recorded, and registering them
    // loads and generates some 130 classes (jdk.jfr, an event handler per event) at every start.
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
  }

  @Override
  public void run() {
    commandLine("--help").usage(System.out);
  }

  /** The version this jar was built as. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Order Gate " + io.ordergate.metrics.BuildInfo.version()};
    }
  }
}
