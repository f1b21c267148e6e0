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
import io.ordergate.problem.Failure;
import io.ordergate.problem.GateException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;

/**
 * What protects the order system, in the order a forward meets it: the shared circuit breaker
 * {@value #NAME}, the source's own breaker ({@link SourceBreakers}), the source's fair share of the
 * concurrent forwards ({@link FairShareGate}), the bulkhead and the time limit. resilience4j
 * instances are used through permissions and callbacks rather than decorators, because the
 * protected call is a Vert.x future, not a blocking call; their names become their metric tags.
 */
public final class BackendGuard {
  public static final String NAME = "order-backend";

  /** Statuses that say the order system itself is unwell, as opposed to one order being bad. */
  private static final Set<Integer> UNHEALTHY_STATUSES = Set.of(502, 503, 504);

  private static final String NO_SOURCE = "unknown";

  private final CircuitBreaker breaker;
  private final SourceBreakers sourceBreakers;
  private final FairShareGate fairShare;
  private final Bulkhead bulkhead;
  private final TimeLimiter timeLimiter;

  /** Every source with the same share. */
  public BackendGuard(ResilienceSettings settings, MeterRegistry registry) {
    this(settings, registry, source -> 1, Clock.systemUTC());
  }

  /**
   * @param shares a source's share of the order system's capacity (its weight, default 1)
   */
  public BackendGuard(
      ResilienceSettings settings,
      MeterRegistry registry,
      ToIntFunction<String> shares,
      Clock clock) {
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
    TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
    TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(registry);
    TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters).bindTo(registry);

    CircuitBreakerConfig breakerConfig =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(settings.breakerWindowSize())
            .minimumNumberOfCalls(
                Math.min(settings.breakerMinimumCalls(), settings.breakerWindowSize()))
            .failureRateThreshold(settings.breakerFailureRatePercent())
            .waitDurationInOpenState(settings.breakerOpenDuration())
            .permittedNumberOfCallsInHalfOpenState(5)
            .recordResult(
                result -> result instanceof Integer status && UNHEALTHY_STATUSES.contains(status))
            .build();
    breaker = breakers.circuitBreaker(NAME, breakerConfig);
    sourceBreakers =
        new SourceBreakers(breakers, breakerConfig, breaker, settings.breakerOpenDuration(), clock);
    // A request waiting for its fair share may use up to half its time limit that way.
    fairShare =
        new FairShareGate(
            settings.maxConcurrent(),
            shares,
            Math.max(1, settings.backendTimeout().toMillis() / 2),
            registry);
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

  /**
   * Admits one forward of {@code source}, or fails (before anything is sent) with the limit that
   * refused it: {@link Failure#BREAKER_OPEN}, {@link Failure#SOURCE_BREAKER_OPEN}, {@link
   * Failure#SOURCE_OVER_SHARE} or {@link Failure#BULKHEAD_FULL}. An admitted forward must be
   * reported to {@link #finish} exactly once.
   */
  Future<Pass> admit(String sourceId) {
    String source = sourceId == null ? NO_SOURCE : sourceId;
    if (!breaker.tryAcquirePermission()) {
      return Future.failedFuture(
          new ForwardFailure(
              Failure.BREAKER_OPEN,
              "the order system failed repeatedly; calls are paused (circuit breaker "
                  + NAME
                  + " is "
                  + breaker.getState()
                  + ")",
              ForwardFailure.Delivery.NOT_SENT));
    }
    CircuitBreaker own = sourceBreakers.of(source);
    if (!own.tryAcquirePermission()) {
      breaker.releasePermission();
      return Future.failedFuture(
          new ForwardFailure(
              Failure.SOURCE_BREAKER_OPEN,
              "the order system failed repeatedly on requests of source '"
                  + source
                  + "'; its calls are paused (circuit breaker "
                  + own.getName()
                  + " is "
                  + own.getState()
                  + "), other sources are not affected",
              ForwardFailure.Delivery.NOT_SENT));
    }
    return fairShare
        .acquire(source)
        .transform(
            ar -> {
              if (ar.succeeded() && bulkhead.tryAcquirePermission()) {
                return Future.succeededFuture(new Pass(source, own, ar.result()));
              }
              if (ar.succeeded()) {
                fairShare.release(source);
              }
              breaker.releasePermission();
              own.releasePermission();
              return Future.failedFuture(
                  ar.failed()
                      ? ar.cause()
                      : new ForwardFailure(
                          Failure.BULKHEAD_FULL,
                          "more than "
                              + fairShare.capacity()
                              + " requests are already waiting on the order system",
                          ForwardFailure.Delivery.NOT_SENT));
            });
  }

  /**
   * Reports how an admitted forward ended. A source's breaker counts what happened to its requests
   * at the order system; the shared breaker counts answers and the failures no single source can
   * cause ({@code notSent}: no connection), and while it is half open, everything.
   */
  void finish(Pass pass, long nanos, AsyncResult<BackendReply> result, boolean notSent) {
    bulkhead.onComplete();
    fairShare.release(pass.source());
    CircuitBreaker own = pass.sourceBreaker();
    boolean probing = breaker.getState() == CircuitBreaker.State.HALF_OPEN;
    if (result.succeeded()) {
      int status = result.result().status();
      own.onResult(nanos, TimeUnit.NANOSECONDS, status);
      if (probing || !UNHEALTHY_STATUSES.contains(status)) {
        breaker.onResult(nanos, TimeUnit.NANOSECONDS, status);
      } else {
        breaker.releasePermission();
      }
      timeLimiter.onSuccess();
      return;
    }
    Throwable cause = result.cause();
    if (notSent) {
      breaker.onError(nanos, TimeUnit.NANOSECONDS, cause);
      own.releasePermission();
    } else {
      own.onError(nanos, TimeUnit.NANOSECONDS, cause);
      if (probing) {
        breaker.onError(nanos, TimeUnit.NANOSECONDS, cause);
      } else {
        breaker.releasePermission();
      }
    }
    if (cause instanceof GateException g && g.failure() == Failure.BACKEND_TIMEOUT) {
      timeLimiter.onError(new TimeoutException(g.getMessage()));
    } else {
      timeLimiter.onError(cause);
    }
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  public Duration timeout() {
    return timeLimiter.getTimeLimiterConfig().getTimeoutDuration();
  }
}
