package io.ordergate.config;

import java.time.Duration;

/**
 * Guards around the order system: time limit, bulkhead and circuit breaker; and how many requests
 * may wait for their answers on one backend connection ({@code pipeliningLimit}, 1 = no HTTP/1.1
 * pipelining).
 */
public record ResilienceSettings(
    Duration backendTimeout,
    Duration connectTimeout,
    int maxConnections,
    int maxConcurrent,
    int breakerFailureRatePercent,
    int breakerMinimumCalls,
    int breakerWindowSize,
    Duration breakerOpenDuration,
    int pipeliningLimit) {

  /** The default: one request at a time on each backend connection. */
  public static final int NO_PIPELINING = 1;

  public ResilienceSettings {
    if (pipeliningLimit < 1) {
      throw new IllegalArgumentException("pipeliningLimit must be at least 1: " + pipeliningLimit);
    }
  }

  public boolean pipelining() {
    return pipeliningLimit > 1;
  }

  public static ResilienceSettings from(Env env) {
    return new ResilienceSettings(
        env.millis("ORDERGATE_BACKEND_TIMEOUT_MS", 5_000, 10, 600_000),
        env.millis("ORDERGATE_BACKEND_CONNECT_TIMEOUT_MS", 2_000, 10, 60_000),
        env.integer("ORDERGATE_BACKEND_MAX_CONNECTIONS", 128, 1, 10_000),
        env.integer("ORDERGATE_BULKHEAD_MAX_CONCURRENT", 512, 1, 100_000),
        env.integer("ORDERGATE_BREAKER_FAILURE_RATE", 50, 1, 100),
        env.integer("ORDERGATE_BREAKER_MINIMUM_CALLS", 20, 1, 10_000),
        env.integer("ORDERGATE_BREAKER_WINDOW", 100, 1, 10_000),
        env.millis("ORDERGATE_BREAKER_OPEN_MS", 10_000, 100, 3_600_000),
        env.integer("ORDERGATE_BACKEND_PIPELINING_LIMIT", NO_PIPELINING, 1, 64));
  }
}
