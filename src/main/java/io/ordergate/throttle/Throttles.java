package io.ordergate.throttle;

import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One resilience4j rate limiter per throttled source, named {@code order-source.<id>} so the name
 * becomes its metric tag. The rate comes from the flag's payload with every request, so a new rate
 * in Unleash applies as soon as the decision table has it, without a restart.
 */
public final class Throttles {
  private static final Duration PERIOD = Duration.ofSeconds(1);

  private final RateLimiterRegistry limiters = RateLimiterRegistry.ofDefaults();
  private final ConcurrentMap<String, RateLimiter> bySource = new ConcurrentHashMap<>();

  public Throttles(MeterRegistry registry) {
    TaggedRateLimiterMetrics.ofRateLimiterRegistry(limiters).bindTo(registry);
  }

  /** Takes one permit for the source without waiting; false when it is over its rate. */
  public boolean tryAcquire(String sourceId, int ratePerSecond) {
    if (ratePerSecond <= 0) {
      return false;
    }
    RateLimiter limiter = bySource.computeIfAbsent(sourceId, id -> create(id, ratePerSecond));
    if (limiter.getRateLimiterConfig().getLimitForPeriod() != ratePerSecond) {
      limiter.changeLimitForPeriod(ratePerSecond); // takes effect from the next one-second period
    }
    return limiter.acquirePermission();
  }

  private RateLimiter create(String sourceId, int ratePerSecond) {
    return limiters.rateLimiter(
        "order-source." + sourceId,
        RateLimiterConfig.custom()
            .limitForPeriod(ratePerSecond)
            .limitRefreshPeriod(PERIOD)
            .timeoutDuration(Duration.ZERO)
            .build());
  }
}
