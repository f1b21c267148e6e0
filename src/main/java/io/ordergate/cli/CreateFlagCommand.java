package io.ordergate.cli;

import io.ordergate.config.Env;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sources create-flag}: a source's kill-switch flag, made from the command line. */
@Command(
    name = "create-flag",
    mixinStandardHelpOptions = true,
    description =
        "Create a source's kill-switch flag in Unleash, ON (needs UNLEASH_ADMIN_URL, UNLEASH_ADMIN_TOKEN).")
final class CreateFlagCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SOURCE", description = "The source id, e.g. newshop.")
  String id;

  @Override
  public Integer call() {
    String sourceId = SourcesCommand.id(id);
    new Creation().create(spec.commandLine().getOut(), sourceId);
    return 0;
  }

  /** The Unleash side of a source: its flag, made as the demo's flags are. */
  static final class Creation {
    final io.ordergate.config.AdminSettings settings =
        io.ordergate.config.AdminSettings.from(Env.system());

    void create(PrintWriter out, String sourceId) {
      String flag = settings.flagPrefix() + sourceId;
      boolean created;
      try {
        created = new io.ordergate.flags.UnleashAdmin(settings).createSourceFlag(flag, sourceId);
      } catch (io.ordergate.flags.UnleashAdmin.AdminException e) {
        throw new CliFailure(
            "could not create flag '"
                + flag
                + "': "
                + e.getMessage()
                + "; retry with: order-gate sources create-flag "
                + sourceId);
      }
      out.println(
          created
              ? "Created flag '"
                  + flag
                  + "' (kill-switch, 100% rollout) in Unleash project '"
                  + settings.project()
                  + "', ON in environment '"
                  + settings.environment()
                  + "'. Kill the source with: order-gate kill "
                  + sourceId
              : "Flag '" + flag + "' exists already in Unleash; left as it is.");
    }
  }
}
