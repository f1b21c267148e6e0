package io.ordergate.source;

import java.time.OffsetDateTime;

/**
 * A registered upstream system that sends orders.
 *
 * @param share its weight when the order system's capacity is split among the sources that need it
 *     (1 to {@value #MAX_SHARE}; equal by default)
 */
public record Source(
    String id,
    String environment,
    String description,
    OffsetDateTime createdAt,
    OffsetDateTime rotatedAt,
    int share) {

  public static final String ID_PATTERN = "[a-z0-9][a-z0-9_-]{0,62}";
  public static final int DEFAULT_SHARE = 1;
  public static final int MAX_SHARE = 1000;

  public Source(
      String id,
      String environment,
      String description,
      OffsetDateTime createdAt,
      OffsetDateTime rotatedAt) {
    this(id, environment, description, createdAt, rotatedAt, DEFAULT_SHARE);
  }

  public Source {
    if (id == null || !id.matches(ID_PATTERN)) {
      throw new IllegalArgumentException("source id must match " + ID_PATTERN + ": '" + id + "'");
    }
    if (environment == null || environment.isBlank()) {
      throw new IllegalArgumentException("source environment must not be empty");
    }
    description = description == null ? "" : description;
    checkShare(share);
  }

  /** Fails with a message naming the allowed range unless {@code share} is in it. */
  public static int checkShare(int share) {
    if (share < 1 || share > MAX_SHARE) {
      throw new IllegalArgumentException(
          "share must be between 1 and " + MAX_SHARE + ", was " + share);
    }
    return share;
  }
}
