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
      SourceKeyCommands.RotateKey.class,
      SourceKeyCommands.Remove.class,
      CreateFlagCommand.class
    })
public final class SourcesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static <T> T withStore(Function<SourceStore, Future<T>> action) {
    try (CliDatabase db = CliDatabase.open()) {
      SourceStore store = new SourceStore(db.pool);
      return db.await(
          action
              .apply(store)
              .recover(
                  e -> {
                    if (e instanceof SourceStore.UnknownSourceException unknown) {
                      return store
                          .list()
                          .compose(
                              all ->
                                  Future.failedFuture(
                                      SourceIds.unknown(
                                          unknown.id(),
                                          all.stream().map(Source::id).toList(),
                                          "")));
                    }
                    return Future.failedFuture(
                        e instanceof SourceStore.SourceExistsException
                            ? new CliFailure(e.getMessage())
                            : e);
                  }),
          60);
    }
  }

  /**
   * Fails with the known ids unless the source is registered or has rows in {@code historyTable} (a
   * removed source's orders can still be cleaned up or released).
   */
  static void requireKnown(String sourceId, String historyTable) {
    try (CliDatabase db = CliDatabase.open()) {
      requireKnown(db, sourceId, historyTable);
    }
  }

  static void requireKnown(CliDatabase db, String sourceId, String historyTable) {
    List<String> ids =
        db.await(new SourceStore(db.pool).list(), 60).stream().map(Source::id).toList();
    if (ids.contains(sourceId)) {
      return;
    }
    boolean seen =
        db.await(
            db.pool
                .preparedQuery(
                    "SELECT EXISTS (SELECT 1 FROM " + historyTable + " WHERE source_id = $1)")
                .execute(io.vertx.sqlclient.Tuple.of(sourceId))
                .map(rows -> rows.iterator().next().getBoolean(0)),
            60);
    if (!seen) {
      throw SourceIds.unknown(sourceId, ids, "");
    }
  }

  static String id(String typed) {
    return SourceIds.normalise(typed, GatewayConfig.flagPrefix(Env.system()));
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
        names = "--create-flag",
        description =
            "Also create its kill-switch flag in Unleash (needs UNLEASH_ADMIN_URL, UNLEASH_ADMIN_TOKEN).")
    boolean createFlag;

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
      String sourceId = id(id);
      SourceSettingsCommand.checkShare(share);
      // Before the database: a flag command that cannot run should not leave half a source.
      CreateFlagCommand.Creation flag = createFlag ? new CreateFlagCommand.Creation() : null;
      TripLimit trip = SourceSettingsCommand.tripLimit(tripRate, tripBaseline, TripLimit.NONE);
      String key = ApiKeys.generate(sourceId);
      withStore(store -> store.add(sourceId, environment, description, key, share));
      if (trip.trips()) {
        SourceSettingsCommand.setTrip(sourceId, tripRate, tripBaseline);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "Added source '"
              + sourceId
              + "' in environment '"
              + environment
              + "'"
              + (share == 1 ? "." : " with share " + share + ".")
              + (trip.trips() ? " Auto-trip: " + trip.describe() + "." : ""));
      printKey(out, sourceId, key);
      out.println();
      if (flag != null) {
        flag.create(out, sourceId);
      } else {
        out.println(
            "Next: give it its kill-switch flag '"
                + GatewayConfig.flagPrefix(Env.system())
                + sourceId
                + "' with: order-gate sources create-flag "
                + sourceId
                + " (until it exists the source cannot be killed on its own, and its writes follow ORDERGATE_UNFLAGGED_SOURCES).");
      }
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
}
