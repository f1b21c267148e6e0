package io.ordergate.forward;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordergate.config.ResilienceSettings;
import java.time.Duration;
import java.util.Set;

/**
 * The resilience4j instances that protect the order system, one of each, all named {@value #NAME}
 * so the name becomes their metric tag. Used through permissions and callbacks rather than
 * decorators, because the protected call is a Vert.x future, not a blocking call.
 */
public final class BackendGuard {
  public static final String NAME = "order-backend";

  /** Statuses that say the order system itself is unwell, as opposed to one order being bad. */
  private static final Set<Integer> UNHEALTHY_STATUSES = Set.of(502, 503, 504);

  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  private final TimeLimiter timeLimiter;

  public BackendGuard(ResilienceSettings settings, MeterRegistry registry) {
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
    TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
    TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(registry);
    TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters).bindTo(registry);

    breaker =
        breakers.circuitBreaker(
            NAME,
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.breakerWindowSize())
                .minimumNumberOfCalls(
                    Math.min(settings.breakerMinimumCalls(), settings.breakerWindowSize()))
                .failureRateThreshold(settings.breakerFailureRatePercent())
                .waitDurationInOpenState(settings.breakerOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(5)
                .recordResult(
                    result ->
                        result instanceof Integer status && UNHEALTHY_STATUSES.contains(status))
                .build());
    bulkhead =
        bulkheads.bulkhead(
            NAME,
            BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrent())
                .maxWaitDuration(Duration.ZERO)
                .build());
    timeLimiter =
        timeLimiters.timeLimiter(
            NAME, TimeLimiterConfig.custom().timeoutDuration(settings.backendTimeout()).build());
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  public Bulkhead bulkhead() {
    return bulkhead;
  }

  public TimeLimiter timeLimiter() {
    return timeLimiter;
  }

  public Duration timeout() {
    return timeLimiter.getTimeLimiterConfig().getTimeoutDuration();
  }
}
