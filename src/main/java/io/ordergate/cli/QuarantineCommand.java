package io.ordergate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code quarantine list|release|discard}: the held orders of quarantined sources, from a terminal.
 * Each subcommand has its own class (QuarantineList, QuarantineRelease, QuarantineDiscard); what
 * release and discard share is in QuarantineAction.
 */
@Command(
    name = "quarantine",
    mixinStandardHelpOptions = true,
    description =
        "List, release or discard orders held for sources whose flag has the variant 'quarantine' "
            + "(needs ORDERGATE_DATABASE_URL; release also ORDERGATE_BACKEND_URL).",
    subcommands = {QuarantineList.class, QuarantineRelease.class, QuarantineDiscard.class})
public final class QuarantineCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
