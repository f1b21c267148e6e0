package io.ordergate.cli;

import io.ordergate.config.AdminSettings;
import io.ordergate.flags.UnleashAdmin;
import io.ordergate.source.Source;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Source ids as operators type them at 3 a.m.: {@code Perftest} and a pasted flag name {@code
 * order-source.perftest} both mean {@code perftest}; anything else that is not a valid id is
 * refused with the rule; an id that does not exist is refused with the ones that do and the
 * nearest. Every command that takes a source goes through here.
 */
final class SourceIds {
  static final String RULE =
      "lower-case letters, digits, '-' or '_', starting with a letter or digit, at most 63"
          + " characters";

  private SourceIds() {}

  /**
   * The id meant by {@code typed}: trimmed, a leading flag prefix (e.g. {@code order-source.})
   * removed, lower-cased; refused when it still is not a valid id.
   */
  static String normalise(String typed, String flagPrefix) {
    if (typed == null) {
      return null;
    }
    String id = typed.strip();
    if (flagPrefix != null
        && !flagPrefix.isEmpty()
        && id.toLowerCase(Locale.ROOT).startsWith(flagPrefix.toLowerCase(Locale.ROOT))) {
      id = id.substring(flagPrefix.length());
    }
    id = id.toLowerCase(Locale.ROOT);
    if (!id.matches(Source.ID_PATTERN)) {
      throw new CliFailure("'" + typed + "' is not a source id: " + RULE);
    }
    return id;
  }

  /** Fails with the known ids and the nearest one unless {@code id} is among them. */
  static void requireKnown(String id, Collection<String> known, String where) {
    if (!known.contains(id)) {
      throw unknown(id, known, where);
    }
  }

  /**
   * "no source 'perftset'; known: web, mobile, partner, perftest (did you mean perftest?)".
   *
   * @param where what was asked, e.g. "in Unleash project 'default'"; may be empty
   */
  static CliFailure unknown(String id, Collection<String> known, String where) {
    StringBuilder m = new StringBuilder("no source '").append(id).append('\'');
    if (where != null && !where.isEmpty()) {
      m.append(' ').append(where);
    }
    m.append(known.isEmpty() ? "; there are none yet" : "; known: " + String.join(", ", known));
    DidYouMean.closest(id, known)
        .ifPresent(c -> m.append(" (did you mean ").append(c).append("?)"));
    return new CliFailure(m.toString());
  }

  /** The ids of the sources that have a flag in Unleash, in Unleash's order. */
  static List<String> inUnleash(UnleashAdmin admin, AdminSettings settings) {
    return admin.flags().stream()
        .map(UnleashAdmin.FlagInfo::name)
        .filter(n -> n.startsWith(settings.flagPrefix()))
        .map(n -> n.substring(settings.flagPrefix().length()))
        .toList();
  }

  /**
   * For a flag Unleash does not have: the unknown-source failure with the sources it does have, and
   * how to create the flag when the id is not a typo of one of them.
   */
  static CliFailure notInUnleash(
      UnleashAdmin admin, AdminSettings settings, String id, UnleashAdmin.AdminException e) {
    List<String> known;
    try {
      known = inUnleash(admin, settings);
    } catch (UnleashAdmin.AdminException listing) {
      return new CliFailure(e.getMessage());
    }
    String m =
        unknown(id, known, "").getMessage()
            + "; Unleash answered HTTP 404 for flag '"
            + settings.flagPrefix()
            + id
            + "'";
    return new CliFailure(
        DidYouMean.closest(id, known).isPresent()
            ? m
            : m + "; a new source gets it with: order-gate sources create-flag " + id);
  }
}
