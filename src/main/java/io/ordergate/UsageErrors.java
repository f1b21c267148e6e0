package io.ordergate;

import io.ordergate.cli.Suggestions;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * One line for a command line picocli could not parse, naming the nearest command or option when
 * the operator made a typo ({@code kil perftest} → "unknown command 'kil' (did you mean kill?)").
 */
final class UsageErrors {
  private UsageErrors() {}

  static String describe(ParameterException e) {
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      CommandLine where = u.getCommandLine();
      String first = u.getUnmatched().get(0);
      if (!first.startsWith("-") && !where.getSubcommands().isEmpty()) {
        List<String> commands =
            where.getSubcommands().keySet().stream().filter(c -> !c.equals("help")).toList();
        return "unknown command '"
            + first
            + "'"
            + Suggestions.didYouMean(first, commands)
            + "; commands: "
            + String.join(", ", commands);
      }
      if (first.startsWith("-")) {
        String option = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
        return "unknown option '"
            + option
            + "'"
            + Suggestions.didYouMean(option, where.getCommandSpec().optionsMap().keySet());
      }
      return "unexpected argument '" + first + "'";
    }
    return e.getMessage().replace('\n', ' ').strip();
  }
}
