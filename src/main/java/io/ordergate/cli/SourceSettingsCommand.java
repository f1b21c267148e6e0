package io.ordergate.cli;

import io.ordergate.source.Source;
import io.ordergate.trip.TripLimit;
import io.ordergate.trip.TripStore;
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
      "(a source alone may use all of it; busy sources get capacity x W / sum of their weights).",
      "--trip-rate N|off: auto-trip the source when the fleet's writes/s of it exceed N for 2 s"
          + " (2N within one second: at once).",
      "--trip-baseline M|off: trip at M x its own 10-minute average instead, the trip rate (or 10)"
          + " being the floor."
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

  @Option(
      names = "--trip-rate",
      paramLabel = "N|off",
      description = "Auto-trip above N writes/s across the fleet (off: never).")
  String tripRate;

  @Option(
      names = "--trip-baseline",
      paramLabel = "M|off",
      description = "Auto-trip above M x the source's own 10-minute average (off: no baseline).")
  String tripBaseline;

  @Override
  public Integer call() {
    String id = SourcesCommand.id(this.id);
    if (share == null && tripRate == null && tripBaseline == null) {
      throw new CliFailure(
          "nothing to change: give --share W, --trip-rate N|off or --trip-baseline M|off");
    }
    if (share != null) {
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
    }
    if (tripRate != null || tripBaseline != null) {
      TripLimit limit = setTrip(id, tripRate, tripBaseline);
      spec.commandLine()
          .getOut()
          .println(
              "Source '"
                  + id
                  + "' auto-trip: "
                  + limit.describe()
                  + "; running gateways apply it within a second.");
    }
    return 0;
  }

  /** Changes the given trip settings, keeps the others; the source's settings afterwards. */
  static TripLimit setTrip(String id, String rate, String baseline) {
    try (CliDatabase db = CliDatabase.open()) {
      TripStore store = new TripStore(db.pool);
      TripLimit current = db.await(store.limit(id), 60);
      if (current == null) {
        throw new CliFailure("no source '" + id + "'");
      }
      TripLimit next = tripLimit(rate, baseline, current);
      db.await(store.setLimit(id, next), 60);
      return next;
    }
  }

  static TripLimit tripLimit(String rate, String baseline, TripLimit current) {
    int r = current.ratePerSecond();
    double m = current.baseline();
    try {
      if (rate != null) {
        r = "off".equalsIgnoreCase(rate) ? 0 : Integer.parseInt(rate.trim());
        if (r == 0 && !"off".equalsIgnoreCase(rate)) {
          throw new CliFailure(
              "--trip-rate must be between 1 and " + TripLimit.MAX_RATE + " or off");
        }
      }
    } catch (NumberFormatException e) {
      throw new CliFailure("--trip-rate takes a number of writes/s or off, was '" + rate + "'");
    }
    try {
      if (baseline != null) {
        m = "off".equalsIgnoreCase(baseline) ? 0 : Double.parseDouble(baseline.trim());
      }
    } catch (NumberFormatException e) {
      throw new CliFailure(
          "--trip-baseline takes a multiple such as 3 or off, was '" + baseline + "'");
    }
    try {
      return new TripLimit(r, m);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(e.getMessage());
    }
  }

  static int checkShare(int share) {
    try {
      return Source.checkShare(share);
    } catch (IllegalArgumentException e) {
      throw new CliFailure("--share: " + e.getMessage());
    }
  }
}
