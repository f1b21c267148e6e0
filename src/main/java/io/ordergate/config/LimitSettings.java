package io.ordergate.config;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * What one replica accepts from clients, whatever they do: how many connections, how long a request
 * may take to arrive, how many body bytes it buffers at once, how big an answer from the order
 * system may be, and how many failed authentications one client address gets.
 *
 * @param maxConnections traffic connections open at once; kept below the file-descriptor limit so
 *     that the ops port, PostgreSQL and the order system always get descriptors
 * @param headerTimeout from the first byte of a request (or the connection's opening) until its
 *     request line and headers are complete
 * @param requestTimeout from the complete headers until the complete body
 * @param bodyBufferBytes request-body bytes buffered across the replica at once
 * @param maxResponseBytes the largest answer from the order system the gateway passes on
 * @param authFailuresPerMinute failed authentications one client address may have per minute; 0
 *     turns the limit off
 */
public record LimitSettings(
    int maxConnections,
    Duration headerTimeout,
    Duration requestTimeout,
    int bodyBufferBytes,
    int maxResponseBytes,
    int authFailuresPerMinute) {

  public static final String MAX_CONNECTIONS = "ORDERGATE_MAX_CONNECTIONS";
  public static final String BODY_BUFFER_BYTES = "ORDERGATE_BODY_BUFFER_BYTES";

  /** Connections beyond this cost more memory than the 640 Mi limit of the shipped manifests. */
  static final int CONNECTION_CEILING = 10_000;

  public LimitSettings {
    if (maxConnections < 1) {
      throw new ConfigException(MAX_CONNECTIONS, "must be at least 1, was " + maxConnections);
    }
  }

  /**
   * Descriptors kept free for everything that is not a traffic connection: the ops port and its
   * probes, the PostgreSQL pool, the order system's connections, Unleash, the jar and the spool.
   */
  static long headroom(long fdLimit) {
    return Math.max(256, fdLimit / 8);
  }

  public static LimitSettings from(Env env, int maxBodyBytes) {
    return from(env, maxBodyBytes, fileDescriptorLimit(), Runtime.getRuntime().maxMemory());
  }

  /**
   * @param fdLimit this process's file-descriptor limit, or -1 when unknown
   * @param maxHeap the JVM's maximum heap in bytes
   */
  static LimitSettings from(Env env, int maxBodyBytes, long fdLimit, long maxHeap) {
    int fdCeiling =
        fdLimit <= 0
            ? CONNECTION_CEILING
            : (int) Math.min(Integer.MAX_VALUE, fdLimit - headroom(fdLimit));
    if (fdCeiling < 1) {
      throw new ConfigException(
          MAX_CONNECTIONS,
          "the file-descriptor limit ("
              + fdLimit
              + ") leaves no room for traffic connections; raise it (ulimit -n)");
    }
    int maxConnections =
        env.integer(MAX_CONNECTIONS, Math.min(CONNECTION_CEILING, fdCeiling), 1, Integer.MAX_VALUE);
    if (maxConnections > fdCeiling) {
      throw new ConfigException(
          MAX_CONNECTIONS,
          "must leave "
              + headroom(fdLimit)
              + " of the "
              + fdLimit
              + " file descriptors for the ops port, PostgreSQL and the order system: at most "
              + fdCeiling
              + ", was "
              + maxConnections);
    }
    int defaultBuffer =
        (int) Math.max(maxBodyBytes, Math.min(Integer.MAX_VALUE, Math.max(maxHeap, 0) / 8));
    int bodyBuffer = env.integer(BODY_BUFFER_BYTES, defaultBuffer, 1, Integer.MAX_VALUE);
    if (bodyBuffer < maxBodyBytes) {
      throw new ConfigException(
          BODY_BUFFER_BYTES,
          "must be at least ORDERGATE_MAX_BODY_BYTES ("
              + maxBodyBytes
              + "), or no body of the largest allowed size could ever be read; was "
              + bodyBuffer);
    }
    return new LimitSettings(
        maxConnections,
        env.millis("ORDERGATE_HEADER_TIMEOUT_MS", 10_000, 100, 300_000),
        env.millis("ORDERGATE_REQUEST_TIMEOUT_MS", 30_000, 100, 600_000),
        bodyBuffer,
        env.integer("ORDERGATE_MAX_RESPONSE_BYTES", 1_048_576, 1_024, 256 * 1_048_576),
        env.integer("ORDERGATE_AUTH_FAILURES_PER_MINUTE", 600, 0, 10_000_000));
  }

  /** The process's limit on open files, or -1 where the platform does not say. */
  static long fileDescriptorLimit() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }
}
