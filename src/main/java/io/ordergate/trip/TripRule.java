package io.ordergate.trip;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The arithmetic of a trip, fed the fleet's rate per source every {@link AutoTrip#PERIOD_MILLIS}
 * (each sample is the rate over the last second, sliding). Two ways to trip, both counted in time,
 * not in samples:
 *
 * <ul>
 *   <li><b>far over</b>: more than {@link #FAR} × the limit in one sample, that is more than twice
 *       the limit's writes within one second, trips at once. A flood at ten times the limit is
 *       obvious after a fraction of a second; waiting for a second sample would spend most of the
 *       trip target on confirmation.
 *   <li><b>marginal</b> (over the limit, at most {@link #FAR} ×): every sample over the limit for
 *       {@link #EVIDENCE}. As each sample covers the second before it, the first and last sample of
 *       that streak cover two disjoint seconds: the source was over the limit for 2 s, so one noisy
 *       second (a retry burst) does not trip.
 * </ul>
 *
 * The learned baseline is the average rate of the seconds of the last {@link #WINDOW} that were not
 * over the limit, so a flood does not raise its own limit; it trips nothing until it has {@link
 * #WARM_UP} of them. Samples are folded into one value per second, so the window is the same
 * whatever the sampling period.
 */
final class TripRule {
  /** Over this multiple of the limit, one sample trips. */
  static final double FAR = 2;

  /** How long a marginal excess must last, from the first sample over the limit. */
  static final Duration EVIDENCE = Duration.ofSeconds(1);

  static final Duration WINDOW = Duration.ofMinutes(10);

  /**
   * Seconds of samples a learned baseline needs before it trips anything: every sample of the
   * warm-up enters the average, since there is nothing yet to call a flood.
   */
  static final Duration WARM_UP = Duration.ofSeconds(60);

  /**
   * A source over its limit long enough to trip.
   *
   * @param far true when it tripped on one sample far over the limit
   */
  record Over(String source, double rate, double limit, boolean far) {
    /** The evidence in words, for the reason: "for 2 s" or "over 1 s, more than twice". */
    String evidence() {
      return far
          ? "over 1 s, more than " + (int) FAR + "x"
          : "for " + (EVIDENCE.toSeconds() + 1) + " s";
    }
  }

  /** The mean of the samples of one second. */
  private static final class Second {
    final long epochSecond;
    double sum;
    int n;

    Second(long epochSecond) {
      this.epochSecond = epochSecond;
    }

    double mean() {
      return sum / n;
    }
  }

  private static final class State {
    final ArrayDeque<Second> window = new ArrayDeque<>();
    double sumOfMeans;
    Instant overSince;

    double average() {
      return window.isEmpty() ? 0 : sumOfMeans / window.size();
    }

    void learn(long epochSecond, double rate) {
      Second last = window.peekLast();
      if (last == null || last.epochSecond != epochSecond) {
        last = new Second(epochSecond);
        window.addLast(last);
      } else {
        sumOfMeans -= last.mean();
      }
      last.sum += rate;
      last.n++;
      sumOfMeans += last.mean();
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
    long oldest = now.minus(WINDOW).getEpochSecond();
    while (!s.window.isEmpty() && s.window.peekFirst().epochSecond < oldest) {
      s.sumOfMeans -= s.window.removeFirst().mean();
    }
    if (s.window.isEmpty()) {
      s.sumOfMeans = 0; // no drift from the subtractions
    }
    double max = limit.limit(s.average());
    boolean warmingUp = limit.baseline() > 0 && s.window.size() < WARM_UP.toSeconds();
    if (!limit.trips() || fleetRate <= max || warmingUp) {
      s.overSince = null;
      s.learn(now.getEpochSecond(), fleetRate);
      return Optional.empty();
    }
    if (s.overSince == null) {
      s.overSince = now;
    }
    if (fleetRate > FAR * max) {
      return Optional.of(new Over(source, fleetRate, max, true));
    }
    boolean lasted = !now.isBefore(s.overSince.plus(EVIDENCE));
    return lasted ? Optional.of(new Over(source, fleetRate, max, false)) : Optional.empty();
  }

  /** The current limit of the source, for logs. */
  double limitOf(String source, TripLimit limit) {
    State s = states.get(source);
    return limit.limit(s == null ? 0 : s.average());
  }
}
