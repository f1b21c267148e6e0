package io.ordergate.cli;

import io.ordergate.quarantine.QuarantineStore;
import io.ordergate.quarantine.Selection;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code quarantine discard}: held orders are never sent; the reason is recorded. */
@Command(
    name = "discard",
    mixinStandardHelpOptions = true,
    description = "Discard held orders for good: they are never sent; the reason is recorded.")
final class QuarantineDiscard extends QuarantineAction {
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
      if (!confirmed("Discard " + what(selection, n) + " (reason: " + selection.reason() + ")?")) {
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
