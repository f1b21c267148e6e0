package io.ordergate.source;

import java.time.OffsetDateTime;

/** A registered upstream system that sends orders. */
public record Source(
    String id,
    String environment,
    String description,
    OffsetDateTime createdAt,
    OffsetDateTime rotatedAt) {

  public static final String ID_PATTERN = "[a-z0-9][a-z0-9_-]{0,62}";

  public Source {
    if (id == null || !id.matches(ID_PATTERN)) {
      throw new IllegalArgumentException("source id must match " + ID_PATTERN + ": '" + id + "'");
    }
    if (environment == null || environment.isBlank()) {
      throw new IllegalArgumentException("source environment must not be empty");
    }
    description = description == null ? "" : description;
  }
}
