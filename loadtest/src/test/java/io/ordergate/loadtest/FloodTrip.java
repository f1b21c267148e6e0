package io.ordergate.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * The incident replayed without a human: web, mobile and partner order steadily ({@code -Drate} in
 * all); after {@code -Dbefore} seconds perftest ramps over {@code -Dramp} seconds to {@code
 * -DfloodFactor} (10) times their rate, floods for {@code -Dflood} seconds and stops; the
 * legitimate sources go on for {@code -Dafter} seconds. Nobody kills perftest: the gateway's
 * auto-trip has to (the demo gives perftest a trip rate of 100 writes/s). Reported beside the
 * Gatling report ({@code floodtrip-summary.json}, {@code .csv}) and on the console:
 *
 * <ul>
 *   <li>flood start (perftest's first order) → the first perftest answer showing the trip (202
 *       held, or a refusal {@code source-over-hold-rate}, {@code quarantine-unavailable}, {@code
 *       source-disabled} or {@code source-throttled}, depending on {@code ORDERGATE_TRIP_ACTION}),
 *       and → the trip as {@code GET /ops/sources} first shows it (an intervention by {@code
 *       auto-trip});
 *   <li>perftest orders the order system received during the run (its own {@code GET /orders}
 *       count; nothing is forwarded once tripped, so these are the ones before the trip) against
 *       the bound {@code -DboundSeconds} (2) × the flood rate;
 *   <li>the legitimate sources' failures (must be 0) and p50/p99 before, during and after the
 *       flood, against {@code -DbaselineP99Ms} (a SteadyMix run's p99) when given. The first {@code
 *       -DwarmUp} (5) seconds of the run are a phase of their own, "warmup": this Gatling JVM
 *       starting (in the quiet runs its first second of orders took 200-350 ms, the next seconds
 *       4-15 ms at most), reported beside the others, its failures counted with theirs.
 * </ul>
 *
 * At the end the held perftest orders are discarded ({@code -DdiscardHeld=false} keeps them) and
 * perftest is revived, so the next run starts clean. {@code loadtest/flood-trip.sh} runs it N
 * times.
 */
public class FloodTrip extends Simulation {
  /**
   * The answers that show perftest tripped: hold (and its overflows: beyond the hold rate, beyond
   * what PostgreSQL takes), kill, throttle.
   */
  private static final Set<String> TRIP_SLUGS =
      Set.of(
          "source-over-hold-rate", "quarantine-unavailable", "source-disabled", "source-throttled");

  private final double rate = Params.number("rate", 150);
  private final double floodRate = rate * Params.number("floodFactor", 10);
  private final Duration before = Params.seconds("before", 15);
  private final Duration warmUp = Params.seconds("warmUp", 5);
  private final Duration ramp = Params.seconds("ramp", 1);
  private final Duration flood = Params.seconds("flood", 30);
  private final Duration after = Params.seconds("after", 15);
  private final String rogue = Params.string("rogue", "perftest");
  private final String rogueKey = Params.string("rogueKey", "demo-" + rogue + "-key");
  private final String rogueFlag = Params.string("rogueFlag", "order-source." + rogue);
  private final double maxTripMs = Params.number("maxTripMs", 2000);
  private final double boundSeconds = Params.number("boundSeconds", 2);
  private final double baselineP99Ms = Params.number("baselineP99Ms", -1);
  private final boolean discardHeld = !"false".equals(Params.string("discardHeld", "true"));

  private final DemoControl demo = new DemoControl("FloodTrip");
  // Phases by send time: "before" starts warmUp after the run's start (the orders before are this
  // Gatling JVM's own start, reported as "warmup"), "during" with perftest's first order, "after"
  // when it stops.
  private final Legit legit = new Legit("warmup", "before", "during", "after");
  private final Timeline timeline = new Timeline();
  private final AtomicLong firstTripAnswer = new AtomicLong(Long.MAX_VALUE);
  private final LongAdder forwarded = new LongAdder();
  private final LongAdder forwardedAfterTripAnswer = new LongAdder();
  private final LongAdder held = new LongAdder();
  private final LongAdder refusedByTrip = new LongAdder();
  private final Tally otherAnswers = new Tally();
  private long orderSystemAtStart = -1;
  private TripWatch watch;

  private ScenarioBuilder rogue() {
    return scenario(rogue + " (flood)")
        .exec(
            session -> {
              long now = System.currentTimeMillis();
              legit.mark(1, now);
              legit.mark(2, now + ramp.plus(flood).toMillis());
              return session.set("sentAt", now);
            })
        .exec(
            http("POST /orders (" + rogue + ")")
                .post("/orders")
                .header("Authorization", "Bearer " + rogueKey)
                .body(StringBody(Params.ORDER))
                // Every answer is expected (forwarded, held, refused); the summary sorts them.
                .check(
                    status().saveAs("status"),
                    regex(Legit.SLUG).optional().saveAs("slug"),
                    responseTimeInMillis().saveAs("rt")))
        .exec(this::rogueAnswer);
  }

  private Session rogueAnswer(Session session) {
    long now = System.currentTimeMillis();
    int status = session.contains("status") ? session.getInt("status") : -1;
    String slug = session.contains("slug") ? session.getString("slug") : "";
    timeline.flood.add(
        session.getLong("sentAt"), session.contains("rt") ? session.getLong("rt") : -1);
    if (status == 201) {
      forwarded.increment();
      if (now > firstTripAnswer.get()) {
        forwardedAfterTripAnswer.increment();
      }
    } else if (status == 202 || TRIP_SLUGS.contains(slug)) {
      (status == 202 ? held : refusedByTrip).increment();
      firstTripAnswer.accumulateAndGet(now, Math::min);
    } else {
      otherAnswers.add(Tally.kind(session));
    }
    return session.remove("status").remove("slug").remove("rt");
  }

  {
    if (warmUp.compareTo(before) >= 0) {
      throw new IllegalArgumentException("-DwarmUp must be shorter than -Dbefore");
    }
    legit.timeline(timeline);
    List<PopulationBuilder> populations = new ArrayList<>();
    Duration total = before.plus(ramp).plus(flood).plus(after);
    for (String[] source : Legit.SOURCES) {
      populations.add(
          legit
              .scenario(source[0], source[1])
              .injectOpen(constantUsersPerSec(rate / Legit.SOURCES.length).during(total)));
    }
    List<OpenInjectionStep> steps = new ArrayList<>();
    steps.add(nothingFor(before));
    if (!ramp.isZero()) {
      steps.add(rampUsersPerSec(1).to(floodRate).during(ramp));
    }
    steps.add(constantUsersPerSec(floodRate).during(flood));
    populations.add(rogue().injectOpen(steps));
    setUp(populations).protocols(Params.protocol());
  }

  @Override
  public void before() {
    // A run that died half-way, or the last run's trip, must not hold perftest for this one.
    if (!demo.revive(rogue, rogueFlag)) {
      throw new IllegalStateException(
          "cannot make "
              + rogue
              + " accept writes with no intervention (Unleash at "
              + demo.unleashUrl
              + ", ops API at "
              + demo.opsUrl
              + "); is the demo running (-DunleashUrl, -DopsUrl, -DopsToken)?");
    }
    orderSystemAtStart = demo.receivedByOrderSystem(rogue);
    watch = new TripWatch(demo);
    if (!watch.reachable()) {
      System.out.println("[FloodTrip] the ops API does not answer: no trip time from it");
    }
    legit.mark(0, System.currentTimeMillis() + warmUp.toMillis());
    System.out.printf(
        "[FloodTrip] legit %.0f/s, %s floods at %.0f/s after %d s (ramp %d ms) for %d s; no kill%n",
        rate, rogue, floodRate, before.toSeconds(), ramp.toMillis(), flood.toSeconds());
  }

  @Override
  public void after() {
    long orderSystemAtEnd = demo.receivedByOrderSystem(rogue);
    watch.close();
    long floodStart = legit.markOf(1);
    TripWatch.Trip trip = watch.trip(rogue);
    long answer = firstTripAnswer.get();
    Summary s = new Summary("floodtrip");
    s.put("rate", rate)
        .put("floodRate", floodRate)
        .put("rampMs", ramp.toMillis())
        .put("floodSeconds", flood.toSeconds())
        .put("floodStartedAt", floodStart == Long.MAX_VALUE ? null : iso(floodStart))
        .put("tripped", trip != null || answer != Long.MAX_VALUE)
        .put("floodToTripAnswerMs", since(floodStart, answer == Long.MAX_VALUE ? null : answer))
        .put("floodToTripOpsMs", since(floodStart, trip == null ? null : trip.seenAtMillis()))
        .put("tripTargetMs", (long) maxTripMs)
        .put("tripIntervention", trip == null ? null : trip.summary())
        .put(
            "rogueForwardedBeforeTrip",
            orderSystemAtStart < 0 || orderSystemAtEnd < 0
                ? null
                : orderSystemAtEnd - orderSystemAtStart)
        .put("rogueForwardedBound", Math.round(boundSeconds * floodRate))
        .put("rogueForwardedSeenByClient", forwarded.sum())
        .put("rogueForwardedAfterFirstTripAnswer", forwardedAfterTripAnswer.sum())
        .put("rogueHeld", held.sum())
        .put("rogueRefusedByTrip", refusedByTrip.sum())
        .put("rogueOtherAnswers", otherAnswers.describe())
        .put("otherSourcesTripped", othersTripped());
    legit.report(s);
    long duringP99 = legit.p99("during");
    long beforeP99 = legit.p99("before");
    s.put("legitP99DuringVsBefore", ratio(duringP99, beforeP99))
        .put("baselineP99Ms", baselineP99Ms < 0 ? null : (long) baselineP99Ms)
        .put("legitP99DuringVsBaseline", ratio(duringP99, baselineP99Ms));
    s.put("heldDiscarded", discardHeld ? demo.discardHeld(rogue, "FloodTrip: flood orders") : null)
        .put(rogue + "Revived", demo.revive(rogue, rogueFlag));
    s.write();
    timeline.write(floodStart);
    warnings(s);
  }

  private String othersTripped() {
    return watch.trips().keySet().stream()
        .filter(source -> !source.equals(rogue))
        .sorted()
        .collect(Collectors.joining(" "));
  }

  private void warnings(Summary s) {
    if (!Boolean.TRUE.equals(s.get("tripped"))) {
      System.out.println("[FloodTrip] MISSED: " + rogue + " was never tripped");
    }
    if (s.get("floodToTripOpsMs") instanceof Long ms && ms > maxTripMs) {
      System.out.printf("[FloodTrip] MISSED: flood → trip %d ms > %.0f ms%n", ms, maxTripMs);
    }
    if (s.get("rogueForwardedBeforeTrip") instanceof Long n
        && n > (Long) s.get("rogueForwardedBound")) {
      System.out.printf(
          "[FloodTrip] MISSED: %d %s orders reached the order system > bound %s%n",
          n, rogue, s.get("rogueForwardedBound"));
    }
    if (legit.failures() > 0) {
      System.out.println("[FloodTrip] MISSED: " + legit.failures() + " legitimate failures");
    }
    if (!((String) s.get("otherSourcesTripped")).isEmpty()) {
      System.out.println("[FloodTrip] MISSED: false trip of " + s.get("otherSourcesTripped"));
    }
  }

  /** Milliseconds from the flood's start to {@code at}; null when either did not happen. */
  private static Long since(long floodStart, Long at) {
    return at == null || floodStart == Long.MAX_VALUE ? null : at - floodStart;
  }

  private static Double ratio(long value, double base) {
    return value < 0 || base <= 0 ? null : Math.round(value / base * 100) / 100.0;
  }

  private static String iso(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }
}
