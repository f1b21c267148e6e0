package io.ordergate.cli;

import java.io.Console;

/**
 * Asks before a destructive command ({@code sources remove}, {@code kill --all}): on a terminal the
 * operator types a word to go on; without a terminal (a script, a pipe) only {@code --yes} lets it
 * run, so nothing destructive happens because stdin happened not to be a terminal.
 */
final class Confirm {
  private Confirm() {}

  /**
   * Returns when the operator confirmed; fails (exit 2) otherwise.
   *
   * @param what what happens, as a sentence fragment: "remove source 'perftest' and its keys"
   * @param word what the operator types to confirm, e.g. the source id
   */
  static void destructive(boolean yes, String what, String word) {
    if (yes) {
      return;
    }
    Console console = System.console();
    if (console == null) {
      throw new CliFailure(
          "this would " + what + "; no terminal to confirm on, so pass --yes to do it");
    }
    String answer =
        console.readLine("This will %s.%nType '%s' to go on (anything else stops): ", what, word);
    if (answer == null || !answer.strip().equals(word)) {
      throw new CliFailure("not confirmed; nothing changed");
    }
  }
}
