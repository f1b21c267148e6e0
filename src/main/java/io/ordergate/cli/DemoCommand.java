package io.ordergate.cli;

import io.ordergate.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The whole stack on one machine, nothing to install but a JDK, Maven and (optionally) Node. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the whole stack locally: embedded PostgreSQL, a local Unleash server (Node 20+; "
            + "file-backed flags without it), a demo order system on :8070 and the gateway on :8080 (traffic) "
            + "and :8090 (ops). Run it from the project root. Ctrl-C stops it all.")
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      defaultValue = "target/demo",
      description = "Where the demo keeps its data (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--flags-dir",
      defaultValue = "flags",
      description = "The project's flags/ directory (default: ${DEFAULT-VALUE}).")
  Path flagsDir;

  @Option(
      names = "--no-unleash",
      description = "Skip the Unleash server and use file-backed flags, as when Node is missing.")
  boolean noUnleash;

  @Option(
      names = "--backend-url",
      paramLabel = "URL",
      description =
          "Point the gateway at this order system instead of starting the demo order system on :8070, "
              + "e.g. one started with 'order-system --port 18070' (benchmarks measure the two processes apart).")
  java.net.URI backendUrl;

  @Option(
      names = "--replicas",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Gateway replicas to run (default: ${DEFAULT-VALUE}): replica i on traffic 8080+i and ops 8090+i, one database, one Unleash.")
  int replicas;

  @Override
  public Integer call() {
    try {
      new Demo(dataDir, flagsDir, !noUnleash, backendUrl, replicas).run();
    } catch (IllegalStateException e) {
      throw new CliFailure("demo: " + e.getMessage());
    }
    return 0;
  }
}
