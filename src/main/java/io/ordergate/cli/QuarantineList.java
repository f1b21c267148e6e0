package io.ordergate.cli;

import io.ordergate.quarantine.QuarantineStore;
import io.ordergate.quarantine.QuarantinedOrder;
import io.ordergate.quarantine.Selection;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quarantine list}: counts by source and state, then the orders themselves; apart from
 * release and discard because it only reads.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Show held orders (oldest first) and counts by state.")
final class QuarantineList implements Runnable {
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
      QuarantineStore store = new QuarantineStore(db.pool, QuarantineAction.cliInstance());
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
