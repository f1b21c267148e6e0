package io.ordergate.trip;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The arithmetic of a trip, fed the fleet's rate per source once a second: a source trips when its
 * rate is over its limit in {@link #CONSECUTIVE} consecutive samples (one noisy second does not
 * trip). The learned baseline is the average of the samples of the last {@link #WINDOW} that were
 * not over the limit, so a flood does not raise its own limit; it trips nothing until it has {@link
 * #WARM_UP} samples.
 */
final class TripRule {
  static final int CONSECUTIVE = 2;
  static final Duration WINDOW = Duration.ofMinutes(10);

  /**
   * Samples a learned baseline needs before it trips anything: every sample of the warm-up enters
   * the average, since there is nothing yet to call a flood.
   */
  static final int WARM_UP = 60;

  /** A source over its limit long enough to trip. */
  record Over(String source, double rate, double limit) {}

  private record Sample(Instant at, double rate) {}

  private static final class State {
    final ArrayDeque<Sample> window = new ArrayDeque<>();
    double sum;
    int over;

    double average() {
      return window.isEmpty() ? 0 : sum / window.size();
    }
  }

  private final Clock clock;
  private final Map<String, State> states = new HashMap<>();

  TripRule(Clock clock) {
    this.clock = clock;
  }

  /** One sample of the source's fleet rate; present when the source should trip now. */
  Optional<Over> observe(String source, TripLimit limit, double fleetRate) {
    State s = states.computeIfAbsent(source, k -> new State());
    Instant now = clock.instant();
    while (!s.window.isEmpty() && s.window.peekFirst().at().isBefore(now.minus(WINDOW))) {
      s.sum -= s.window.removeFirst().rate();
    }
    double max = limit.limit(s.average());
    boolean warmingUp = limit.baseline() > 0 && s.window.size() < WARM_UP;
    if (!limit.trips() || fleetRate <= max || warmingUp) {
      s.over = 0;
      s.window.addLast(new Sample(now, fleetRate));
      s.sum += fleetRate;
      return Optional.empty();
    }
    s.over++;
    return s.over >= CONSECUTIVE ? Optional.of(new Over(source, fleetRate, max)) : Optional.empty();
  }

  /** The current limit of the source, for logs. */
  double limitOf(String source, TripLimit limit) {
    State s = states.get(source);
    return limit.limit(s == null ? 0 : s.average());
  }
}
