package io.ordergate.quarantine;

import io.ordergate.source.Source;
import java.util.List;

/**
 * Which held orders an ops action is about, and why. With {@code ids}, exactly those orders (held
 * or in doubt: naming an in-doubt order is how ops resend it); without, every held order of the
 * source. Invalid input fails with {@link IllegalArgumentException} and a message for the operator.
 *
 * @param source null when only ids are given
 * @param ids empty for "every held order of the source"
 */
public record Selection(String source, List<Long> ids, String reason) {
  public static final int MAX_IDS = 10_000;
  public static final int MAX_REASON = 500;

  public Selection {
    ids = ids == null ? List.of() : List.copyOf(ids);
    if (source == null && ids.isEmpty()) {
      throw new IllegalArgumentException("name a source, ids, or both");
    }
    checkSource(source);
    if (ids.size() > MAX_IDS) {
      throw new IllegalArgumentException(
          "at most " + MAX_IDS + " ids at a time, got " + ids.size());
    }
    if (ids.stream().anyMatch(id -> id == null || id < 1)) {
      throw new IllegalArgumentException("ids must be positive whole numbers");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException(
          "a reason is required: it is recorded with every order the action touches");
    }
    if (reason.length() > MAX_REASON) {
      throw new IllegalArgumentException("reason must be at most " + MAX_REASON + " characters");
    }
    reason = reason.strip();
  }

  /** The source id, or null; fails with an {@link IllegalArgumentException} if it cannot be one. */
  public static String checkSource(String source) {
    if (source != null && !source.matches(Source.ID_PATTERN)) {
      throw new IllegalArgumentException(
          "source must match " + Source.ID_PATTERN + ", was '" + source + "'");
    }
    return source;
  }

  public boolean byIds() {
    return !ids.isEmpty();
  }

  /** The same selection for one source, once the source of the ids is known. */
  public Selection forSource(String sourceId) {
    return new Selection(sourceId, ids, reason);
  }

  /** The same selection narrowed to {@code fewer} ids, which must not be empty. */
  Selection withIds(List<Long> fewer) {
    if (fewer.isEmpty()) {
      throw new IllegalArgumentException("no ids left");
    }
    return new Selection(source, fewer, reason);
  }

  Long[] idArray() {
    return byIds() ? ids.toArray(Long[]::new) : null;
  }

  /** Parses {@code 1,2,3} as given on a command line. */
  public static List<Long> parseIds(String csv) {
    if (csv == null || csv.isBlank()) {
      return List.of();
    }
    try {
      return java.util.Arrays.stream(csv.split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .map(Long::valueOf)
          .toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "ids must be whole numbers separated by commas, was '" + csv + "'");
    }
  }
}
