package io.ordergate.cli;

import io.ordergate.source.ApiKeys;
import io.ordergate.source.Source;
import io.ordergate.source.SourceStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code sources} subcommands that act on a source's keys and existence ({@code rotate-key},
 * {@code remove}), apart from registering and listing in {@link SourcesCommand}.
 */
final class SourceKeyCommands {
  private SourceKeyCommands() {}

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
      String sourceId = SourcesCommand.id(id);
      String key = ApiKeys.generate(sourceId);
      SourcesCommand.withStore(store -> store.rotateKey(sourceId, key, keepOld));
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          keepOld
              ? "Added a key to '" + sourceId + "'; its old keys still work."
              : "Rotated the key of '" + sourceId + "'; old keys no longer work.");
      SourcesCommand.printKey(out, sourceId, key);
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

    @Option(names = "--yes", description = "Do not ask (needed without a terminal).")
    boolean yes;

    @Override
    public Integer call() {
      String sourceId = SourcesCommand.id(id);
      // One session: the check, the question (on this thread, not an event loop) and the removal.
      try (CliDatabase db = CliDatabase.open()) {
        SourceStore store = new SourceStore(db.pool);
        List<String> all = db.await(store.list(), 60).stream().map(Source::id).toList();
        SourceIds.requireKnown(sourceId, all, "");
        Confirm.destructive(
            yes,
            "remove source '"
                + sourceId
                + "' and all its keys (its requests are refused from then on)",
            sourceId);
        db.await(store.remove(sourceId), 60);
      }
      spec.commandLine()
          .getOut()
          .println("Removed source '" + sourceId + "'; its keys are refused from now on.");
      return 0;
    }
  }
}
