package io.ordergate.forward;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One circuit breaker per source, beside the shared one of the order system, so that failures
 * caused by one source's orders cut off that source only (docs/architecture.md, "Circuit
 * breakers"):
 *
 * <ul>
 *   <li>a source's breaker counts what the order system did with that source's requests: 502, 503
 *       and 504 answers, time-outs and exchanges broken after the request was sent;
 *   <li>the shared breaker counts what no source can cause alone: the order system not taking
 *       connections (refused, or none within the time limit); and it opens when the breakers of
 *       {@value #SOURCES_FOR_SHARED} or more sources have opened within one open period, because
 *       failures from several sources at once say the order system itself is unwell.
 * </ul>
 */
final class SourceBreakers {
  private static final Logger LOG = LoggerFactory.getLogger(SourceBreakers.class);

  /** Sources whose breakers must be open at once before the shared breaker opens too. */
  static final int SOURCES_FOR_SHARED = 2;

  static final String PREFIX = "order-source.";

  private final CircuitBreakerRegistry registry;
  private final CircuitBreakerConfig config;
  private final CircuitBreaker shared;
  private final Duration openDuration;
  private final Clock clock;
  private final Map<String, CircuitBreaker> bySource = new ConcurrentHashMap<>();
  private final Map<String, Instant> openedAt = new ConcurrentHashMap<>();

  SourceBreakers(
      CircuitBreakerRegistry registry,
      CircuitBreakerConfig config,
      CircuitBreaker shared,
      Duration openDuration,
      Clock clock) {
    this.registry = registry;
    this.config = config;
    this.shared = shared;
    this.openDuration = openDuration;
    this.clock = clock;
  }

  /** The breaker of a source, created on its first forward. */
  CircuitBreaker of(String source) {
    CircuitBreaker breaker = bySource.get(source);
    return breaker != null ? breaker : bySource.computeIfAbsent(source, this::create);
  }

  private CircuitBreaker create(String source) {
    CircuitBreaker breaker = registry.circuitBreaker(PREFIX + source, config);
    breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              CircuitBreaker.State to = event.getStateTransition().getToState();
              if (to == CircuitBreaker.State.OPEN) {
                LOG.warn(
                    "Circuit breaker of source '{}' opened: its requests failed at the order system; "
                        + "other sources are not affected",
                    source);
                openedAt.put(source, clock.instant());
                openSharedIfSpread();
              } else {
                openedAt.remove(source);
              }
            });
    return breaker;
  }

  /** Sources whose breakers opened within the last open period. */
  int recentlyOpen() {
    Instant since = clock.instant().minus(openDuration);
    int n = 0;
    for (Instant at : openedAt.values()) {
      if (at.isAfter(since)) {
        n++;
      }
    }
    return n;
  }

  private void openSharedIfSpread() {
    int open = recentlyOpen();
    CircuitBreaker.State state = shared.getState();
    if (open >= SOURCES_FOR_SHARED
        && (state == CircuitBreaker.State.CLOSED || state == CircuitBreaker.State.HALF_OPEN)) {
      try {
        shared.transitionToOpenState();
        LOG.warn(
            "Circuit breaker {} opened: the breakers of {} sources opened within {} s, so the order system itself is failing",
            BackendGuard.NAME,
            open,
            openDuration.toSeconds());
      } catch (IllegalStateException e) {
        // another thread changed its state first; nothing to do
      }
    }
  }
}
