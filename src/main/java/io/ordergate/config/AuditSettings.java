package io.ordergate.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The audit pipeline: records wait in memory for at most one flush interval, then sit in the local
 * spool until they are shipped to PostgreSQL in batches.
 *
 * @param bufferSize records that may wait in memory for the next flush before writes are refused
 * @param batchSize records per COPY to PostgreSQL
 * @param flushInterval how often the memory buffer is appended to the spool: what a kill -9 loses
 * @param spoolDir the spool's directory, one gateway process at a time
 * @param spoolMaxBytes spool size at which writes are refused (503 audit-unavailable)
 * @param fsync whether each flush is forced to the disk (a power loss then loses at most one flush
 *     interval too)
 * @param retentionDays days of audit partitions kept in PostgreSQL
 * @param samplePerSecond refusals per source and second recorded as rows; the rest are counted
 * @param shipInterval after shipping a batch smaller than {@code batchSize}, the shipper waits this
 *     long for more before the next COPY (full batches go at once): each COPY transaction costs
 *     PostgreSQL a fixed few milliseconds, so fewer, larger ones cost less per row. Zero: ship
 *     whatever is there as soon as it is spooled.
 */
public record AuditSettings(
    int bufferSize,
    int batchSize,
    Duration flushInterval,
    Path spoolDir,
    long spoolMaxBytes,
    boolean fsync,
    int retentionDays,
    int samplePerSecond,
    Duration shipInterval) {

  public static final String SPOOL_DIR = "ORDERGATE_AUDIT_SPOOL_DIR";
  public static final String SPOOL_MAX_BYTES = "ORDERGATE_AUDIT_SPOOL_MAX_BYTES";
  static final long MIN_SPOOL_BYTES = 65_536;

  public AuditSettings {
    if (batchSize > bufferSize) {
      throw new ConfigException(
          "ORDERGATE_AUDIT_BATCH_SIZE", "must not exceed ORDERGATE_AUDIT_BUFFER_SIZE");
    }
    if (spoolMaxBytes < MIN_SPOOL_BYTES) {
      throw new ConfigException(SPOOL_MAX_BYTES, "must be at least " + MIN_SPOOL_BYTES);
    }
  }

  public static AuditSettings from(Env env) {
    return new AuditSettings(
        env.integer("ORDERGATE_AUDIT_BUFFER_SIZE", 100_000, 10, 10_000_000),
        env.integer("ORDERGATE_AUDIT_BATCH_SIZE", 10_000, 1, 200_000),
        env.millis("ORDERGATE_AUDIT_FLUSH_MS", 100, 5, 60_000),
        spoolDir(env),
        bytes(env, SPOOL_MAX_BYTES, 1L << 30),
        env.oneOf("ORDERGATE_AUDIT_SPOOL_FSYNC", "false", java.util.Set.of("true", "false"))
            .equals("true"),
        env.integer("ORDERGATE_AUDIT_RETENTION_DAYS", 30, 1, 3_650),
        env.integer("ORDERGATE_AUDIT_SAMPLE_PER_SECOND", 1_000, 0, 1_000_000),
        env.millis("ORDERGATE_AUDIT_SHIP_INTERVAL_MS", 1_000, 0, 60_000));
  }

  /** Default: under java.io.tmpdir. Set it to a volume that survives a restart (docs/deploying). */
  private static Path spoolDir(Env env) {
    Optional<String> raw = env.optional(SPOOL_DIR);
    try {
      return raw.map(Path::of)
          .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "order-gate-audit-spool"))
          .toAbsolutePath();
    } catch (InvalidPathException e) {
      throw new ConfigException(SPOOL_DIR, "is not a usable path: " + e.getMessage());
    }
  }

  private static long bytes(Env env, String name, long defaultValue) {
    Optional<String> raw = env.optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(raw.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "must be a number of bytes, was '" + raw.get() + "'");
    }
  }
}
