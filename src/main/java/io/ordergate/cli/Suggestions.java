package io.ordergate.cli;

import java.util.Collection;

/** "(did you mean kill?)" for the command line's usage errors, which are handled outside cli/. */
public final class Suggestions {
  private Suggestions() {}

  /** " (did you mean X?)" when a candidate is near {@code typed}, else "". */
  public static String didYouMean(String typed, Collection<String> candidates) {
    return DidYouMean.closest(typed, candidates).map(c -> " (did you mean " + c + "?)").orElse("");
  }
}
