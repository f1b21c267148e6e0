package io.ordergate.config;

import java.time.Duration;

/** Sizing of the audit buffer that sits between the request path and PostgreSQL. */
public record AuditSettings(int bufferSize, int batchSize, Duration flushInterval) {

  public AuditSettings {
    if (batchSize > bufferSize) {
      throw new ConfigException(
          "ORDERGATE_AUDIT_BATCH_SIZE", "must not exceed ORDERGATE_AUDIT_BUFFER_SIZE");
    }
  }

  public static AuditSettings from(Env env) {
    return new AuditSettings(
        env.integer("ORDERGATE_AUDIT_BUFFER_SIZE", 100_000, 10, 10_000_000),
        env.integer("ORDERGATE_AUDIT_BATCH_SIZE", 5_000, 1, 50_000),
        env.millis("ORDERGATE_AUDIT_FLUSH_MS", 100, 5, 60_000));
  }
}
