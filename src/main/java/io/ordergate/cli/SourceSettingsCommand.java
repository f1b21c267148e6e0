package io.ordergate.cli;

import io.ordergate.source.Source;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sources set}: changes a registered source's settings; running gateways apply them. */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    description = {
      "Change a source's settings. Running gateways apply them within a second.",
      "--share W: its weight when the order system's capacity is split among the sources that need it",
      "(a source alone may use all of it; busy sources get capacity x W / sum of their weights)."
    })
final class SourceSettingsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SOURCE")
  String id;

  @Option(
      names = "--share",
      paramLabel = "W",
      description = "Share of the order system's capacity, 1-1000 (default for new sources: 1).")
  Integer share;

  @Override
  public Integer call() {
    if (share == null) {
      throw new CliFailure("nothing to change: give --share W");
    }
    checkShare(share);
    SourcesCommand.withStore(store -> store.setShare(id, share));
    spec.commandLine()
        .getOut()
        .println(
            "Source '"
                + id
                + "' now has share "
                + share
                + " of the order system's capacity; running gateways apply it within a second.");
    return 0;
  }

  static int checkShare(int share) {
    try {
      return Source.checkShare(share);
    } catch (IllegalArgumentException e) {
      throw new CliFailure("--share: " + e.getMessage());
    }
  }
}
