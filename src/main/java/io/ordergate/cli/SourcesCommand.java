package io.ordergate.cli;

import io.ordergate.config.Env;
import io.ordergate.config.GatewayConfig;
import io.ordergate.source.ApiKeys;
import io.ordergate.source.Source;
import io.ordergate.source.SourceStore;
import io.ordergate.trip.TripLimit;
import io.vertx.core.Future;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Manages the source registry. Running gateways pick up every change within a second. */
@Command(
    name = "sources",
    mixinStandardHelpOptions = true,
    description = "Manage order sources and their API keys (needs ORDERGATE_DATABASE_URL).",
    subcommands = {
      SourcesCommand.Add.class,
      SourcesCommand.ListSources.class,
      SourceSettingsCommand.class,
      SourcesCommand.RotateKey.class,
      SourcesCommand.Remove.class
    })
public final class SourcesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static <T> T withStore(Function<SourceStore, Future<T>> action) {
    try (CliDatabase db = CliDatabase.open()) {
      return db.await(
          action
              .apply(new SourceStore(db.pool))
              .recover(
                  e ->
                      Future.failedFuture(
                          e instanceof SourceStore.SourceExistsException
                                  || e instanceof SourceStore.UnknownSourceException
                              ? new CliFailure(e.getMessage())
                              : e)),
          60);
    }
  }

  static void printKey(PrintWriter out, String sourceId, String key) {
    out.println(
        "API key for source '" + sourceId + "' (shown once; only its SHA-256 hash is stored):");
    out.println();
    out.println("  " + key);
    out.println();
    out.println(
        "Send it as 'Authorization: Bearer <key>' together with 'X-Upstream-Environment: <environment>'.");
    out.flush();
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Register a source and print its new API key.")
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "SOURCE",
        description = "Source id: lower case letters, digits, '-' or '_'.")
    String id;

    @Option(
        names = {"-e", "--environment"},
        required = true,
        description = "Environment the source runs in, e.g. production.")
    String environment;

    @Option(
        names = {"-d", "--description"},
        defaultValue = "",
        description = "Free text, e.g. the owning team.")
    String description;

    @Option(
        names = "--share",
        paramLabel = "W",
        defaultValue = "1",
        description =
            "Its weight when the order system's capacity is split among busy sources (1-1000, default 1).")
    int share;

    @Option(
        names = "--trip-rate",
        paramLabel = "N|off",
        description = "Auto-trip above N writes/s across the fleet (default off).")
    String tripRate;

    @Option(
        names = "--trip-baseline",
        paramLabel = "M|off",
        description = "Auto-trip above M x its own 10-minute average (default off).")
    String tripBaseline;

    @Override
    public Integer call() {
      SourceSettingsCommand.checkShare(share);
      TripLimit trip = SourceSettingsCommand.tripLimit(tripRate, tripBaseline, TripLimit.NONE);
      String key = ApiKeys.generate(id);
      withStore(store -> store.add(id, environment, description, key, share));
      if (trip.trips()) {
        SourceSettingsCommand.setTrip(id, tripRate, tripBaseline);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "Added source '"
              + id
              + "' in environment '"
              + environment
              + "'"
              + (share == 1 ? "." : " with share " + share + ".")
              + (trip.trips() ? " Auto-trip: " + trip.describe() + "." : ""));
      printKey(out, id, key);
      out.println();
      out.println(
          "Next: create the flag '"
              + GatewayConfig.flagPrefix(Env.system())
              + id
              + "' in Unleash. Until it exists the source cannot be killed on its own (and its writes follow ORDERGATE_UNFLAGGED_SOURCES).");
      out.flush();
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered sources.")
  static final class ListSources implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<Source> sources = withStore(SourceStore::list);
      PrintWriter out = spec.commandLine().getOut();
      if (sources.isEmpty()) {
        out.println(
            "No sources registered. Add one with: order-gate sources add <id> --environment <env>");
        return 0;
      }
      out.printf(
          "%-20s %-14s %-20s %-20s %-6s %s%n",
          "SOURCE", "ENVIRONMENT", "CREATED (UTC)", "KEY ROTATED (UTC)", "SHARE", "DESCRIPTION");
      for (Source s : sources) {
        out.printf(
            "%-20s %-14s %-20s %-20s %-6d %s%n",
            s.id(),
            s.environment(),
            utc(s.createdAt()),
            utc(s.rotatedAt()),
            s.share(),
            s.description());
      }
      return 0;
    }
  }

  static String utc(java.time.OffsetDateTime t) {
    return t == null
        ? "-"
        : t.atZoneSameInstant(java.time.ZoneOffset.UTC)
            .toLocalDateTime()
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            .toString()
            .replace('T', ' ');
  }

  @Command(
      name = "rotate-key",
      mixinStandardHelpOptions = true,
      description =
          "Issue a new API key. Old keys stop working at once unless --keep-old is given.")
  static final class RotateKey implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "SOURCE")
    String id;

    @Option(
        names = "--keep-old",
        description =
            "Keep the old key(s) valid too, for a staged rollout; rotate again without it to retire them.")
    boolean keepOld;

    @Override
    public Integer call() {
      String key = ApiKeys.generate(id);
      withStore(store -> store.rotateKey(id, key, keepOld));
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          keepOld
              ? "Added a key to '" + id + "'; its old keys still work."
              : "Rotated the key of '" + id + "'; old keys no longer work.");
      printKey(out, id, key);
      return 0;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove a source and all its keys.")
  static final class Remove implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "SOURCE")
    String id;

    @Override
    public Integer call() {
      withStore(store -> store.remove(id));
      spec.commandLine()
          .getOut()
          .println("Removed source '" + id + "'; its keys are refused from now on.");
      return 0;
    }
  }
}
