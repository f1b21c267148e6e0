package io.ordergate.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The incident, replayed. web, mobile and partner order steadily ({@code -Drate} in all); after
 * {@code -Dbefore} seconds the perftest rig ramps up to {@code -DfloodFactor} (10) times their
 * combined rate over {@code -Dramp} seconds and keeps flooding; {@code -DkillAfter} seconds after
 * the flood started the simulation kills perftest through the Unleash Admin API, and the run goes
 * on for {@code -Dafter} more seconds. Reported, as JSON and CSV beside the Gatling report ({@code
 * roguesource-summary.json}, {@code .csv}):
 *
 * <ul>
 *   <li>kill latency: from the kill call to the last perftest order the gateway accepted (201);
 *   <li>perftest orders that reached the order system after the kill call (its own count, read from
 *       {@code GET /orders} before the kill and at the end) and perftest 201s received after it;
 *   <li>the legitimate sources' p50/p99 and failures before the flood, during it (until the kill)
 *       and after the kill.
 * </ul>
 *
 * perftest is revived at the end, whatever happened. The same flood with no kill, left to the
 * gateway's auto-trip, is {@link FloodTrip}.
 *
 * <pre>
 * mvn -B gatling:test -Dgatling.simulationClass=io.ordergate.loadtest.RogueSource \
 *     -DbaseUrl=http://127.0.0.1:8080 -DorderSystemUrl=http://127.0.0.1:8070 \
 *     -DunleashUrl=http://127.0.0.1:4242 -DunleashToken='*:*.order-gate-demo-admin-token' \
 *     -Drate=150 -DfloodFactor=10 -Dbefore=15 -Dramp=15 -DkillAfter=25 -Dafter=30 -DmaxFailedPct=0.1
 * </pre>
 */
public class RogueSource extends Simulation {
  private final double rate = Params.number("rate", 150);
  private final double floodFactor = Params.number("floodFactor", 10);
  private final Duration before = Params.seconds("before", 15);
  private final Duration ramp = Params.seconds("ramp", 15);
  private final Duration killAfter = Params.seconds("killAfter", 25);
  private final Duration after = Params.seconds("after", 30);
  private final String rogueKey = Params.string("rogueKey", "demo-perftest-key");
  private final String rogueFlag = Params.string("rogueFlag", "order-source.perftest");
  private final double maxKillLatencyMs = Params.number("maxKillLatencyMs", 1500);
  private final double maxFailedPct = Params.number("maxFailedPct", 0.1);
  private final DemoControl demo = new DemoControl("RogueSource");

  // Filled by the virtual users (many threads), read once in after(). Legitimate orders by send
  // time: "during" starts with perftest's first order, "after" with the kill call.
  private final Legit legit = new Legit("before", "during", "after");
  private final AtomicLong lastRogueAcceptedMillis = new AtomicLong();
  private final AtomicLong rogueAccepted = new AtomicLong();
  private final AtomicLong rogueRejected = new AtomicLong();
  private final AtomicLong rogueOther = new AtomicLong();
  private final AtomicLong rogueAcceptedAfterKill = new AtomicLong();
  private final AtomicLong orderSystemAtKill = new AtomicLong(-1);

  private long killMillis() {
    return legit.markOf(1);
  }

  private ScenarioBuilder rogue() {
    return scenario("perftest (rogue)")
        .exec(
            session -> {
              legit.mark(0, System.currentTimeMillis());
              return session;
            })
        .exec(
            http("POST /orders (perftest)")
                .post("/orders")
                .header("Authorization", "Bearer " + rogueKey)
                .body(StringBody(Params.ORDER))
                // 201 while the flag is on, 503 once the kill reached the gateway: both are
                // expected.
                .check(status().in(201, 503), status().saveAs("status")))
        .exec(
            session -> {
              long now = System.currentTimeMillis();
              int status = session.contains("status") ? session.getInt("status") : -1;
              if (status == 201) {
                rogueAccepted.incrementAndGet();
                lastRogueAcceptedMillis.accumulateAndGet(now, Math::max);
                if (now >= killMillis()) {
                  rogueAcceptedAfterKill.incrementAndGet();
                }
              } else if (status == 503) {
                rogueRejected.incrementAndGet();
              } else {
                rogueOther.incrementAndGet();
              }
              return session;
            });
  }

  private ScenarioBuilder ops() {
    return scenario("ops: kill perftest")
        .exec(
            session -> {
              orderSystemAtKill.set(demo.receivedByOrderSystem("perftest"));
              legit.mark(1, System.currentTimeMillis());
              int status = demo.toggle(rogueFlag, false);
              System.out.printf(
                  "[RogueSource] kill %s: Unleash answered %d at %s%n",
                  rogueFlag, status, Instant.ofEpochMilli(killMillis()));
              return status == 200 ? session : session.markAsFailed();
            });
  }

  {
    List<PopulationBuilder> populations = new ArrayList<>();
    Duration total = before.plus(killAfter).plus(after);
    for (String[] source : Legit.SOURCES) {
      populations.add(
          legit
              .scenario(source[0], source[1])
              .injectOpen(constantUsersPerSec(rate / Legit.SOURCES.length).during(total)));
    }
    double floodRate = rate * floodFactor;
    Duration hold = total.minus(before).minus(ramp);
    populations.add(
        rogue()
            .injectOpen(
                nothingFor(before),
                rampUsersPerSec(1).to(floodRate).during(ramp),
                constantUsersPerSec(floodRate).during(hold)));
    populations.add(ops().injectOpen(nothingFor(before.plus(killAfter)), atOnceUsers(1)));
    setUp(populations)
        .protocols(Params.protocol())
        // Legitimate orders refused (e.g. 503 backend-saturated while the flood fills the bulkhead)
        // and perftest answers other than 201/503 fail requests; the summary counts them too.
        .assertions(global().failedRequests().percent().lte(maxFailedPct));
  }

  @Override
  public void before() {
    // A run that died half-way must not leave perftest killed for the next one.
    int status = demo.toggle(rogueFlag, true);
    if (status != 200) {
      throw new IllegalStateException(
          "Unleash Admin API at "
              + demo.unleashUrl
              + " answered "
              + status
              + " to turning "
              + rogueFlag
              + " on; is the demo running (-DunleashUrl, -DunleashToken)?");
    }
    System.out.printf(
        "[RogueSource] legit %.0f/s, flood up to %.0f/s, kill %s s after the flood starts%n",
        rate, rate * floodFactor, killAfter.toSeconds());
  }

  @Override
  public void after() {
    int revived = demo.toggle(rogueFlag, true);
    long orderSystemAtEnd = demo.receivedByOrderSystem("perftest");
    long kill = killMillis();
    long lastAccepted = lastRogueAcceptedMillis.get();
    Summary summary = new Summary("roguesource");
    summary
        .put("killCalledAt", kill == Long.MAX_VALUE ? null : Instant.ofEpochMilli(kill).toString())
        .put("killLatencyMs", kill == Long.MAX_VALUE ? null : Math.max(0, lastAccepted - kill))
        .put("killLatencyTargetMs", (long) maxKillLatencyMs)
        .put(
            "rogueOrdersReachingOrderSystemAfterKill",
            orderSystemAtKill.get() < 0 || orderSystemAtEnd < 0
                ? null
                : orderSystemAtEnd - orderSystemAtKill.get())
        .put("rogueAcceptedAfterKill", rogueAcceptedAfterKill.get())
        .put("rogueAccepted", rogueAccepted.get())
        .put("rogueRejected", rogueRejected.get())
        .put("rogueOther", rogueOther.get());
    legit.report(summary);
    summary.put("perftestRevived", revived == 200);
    summary.write();
    if (summary.get("killLatencyMs") instanceof Long l && l > maxKillLatencyMs) {
      System.out.printf(
          "[RogueSource] kill latency %d ms is over the target of %.0f ms%n", l, maxKillLatencyMs);
    }
  }
}
