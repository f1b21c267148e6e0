package io.ordergate.cli;

import io.ordergate.cleanup.CleanupPlan;
import io.ordergate.cleanup.CleanupReport;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The tables {@code cleanup} prints: the plan (what a dry run or a run would cancel) and the report
 * of a run. Apart from {@link CleanupCommand}, which parses, checks and drives the run, so the
 * wording can change without touching the control flow.
 */
final class CleanupPrinting {
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private CleanupPrinting() {}

  static void plan(PrintWriter out, CleanupPlan plan) {
    out.println();
    out.printf(
        "Orders forwarded in the window (POST, forwarded or released, 2xx): %d%n", plan.orders());
    out.printf(
        "  with an order id:                      %d (%d distinct)%n",
        plan.orders() - plan.withoutOrderId(), plan.orderIds());
    out.printf(
        "  without an order id:                   %d%s%n",
        plan.withoutOrderId(),
        plan.withoutOrderId() == 0
            ? ""
            : "  (cannot be cancelled from here: the order system's answer carried no id; find them there by request id)");
    out.printf("  already cancelled by an earlier run:   %d%n", plan.alreadyCancelled());
    out.printf("  to cancel:                             %d%n", plan.toCancel());
    if (!plan.sample().isEmpty()) {
      out.println();
      out.printf("First %d to cancel, oldest first:%n", plan.sample().size());
      out.printf("  %-23s  %-24s  %s%n", "RECEIVED (UTC)", "ORDER ID", "REQUEST ID");
      plan.sample()
          .forEach(
              s ->
                  out.printf(
                      "  %-23s  %-24s  %s%n",
                      UTC.format(s.receivedAt()), s.orderId(), s.requestId()));
    }
    out.flush();
  }

  static void report(PrintWriter out, CleanupReport r) {
    out.println();
    out.printf(
        "Clean-up run %d of source '%s', %s .. %s: %s%n",
        r.runId(), r.window().source(), r.window().since(), r.window().until(), r.state());
    out.printf("  cancelled (2xx):                     %d%n", r.cancelled());
    out.printf("  already gone (404/410):              %d%n", r.gone());
    out.printf("  failed:                              %d%n", r.failed());
    r.failures().forEach((reason, count) -> out.printf("      %-32s %d%n", reason, count));
    out.printf("  not sent yet:                        %d%n", r.pending());
    out.printf("  no order id (cannot be cancelled):   %d%n", r.withoutOrderId());
    out.printf("  skipped, cancelled by other runs:    %d%n", r.cancelledEarlier());
    out.flush();
  }
}
