package io.ordergate.loadtest;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's legitimate sources at a steady rate: web, mobile and partner post orders (50/30/20 %
 * of {@code -Drate}), and every {@code -DreadEvery}th (10th; 0: none) order is read back through
 * the gateway. With {@code -Dswing=3} the rate climbs to three times {@code -Drate} over the first
 * half of {@code -Dduration} and back over the second (a day's swing, compressed). Asserts the p99
 * and the share of successful requests. Writes {@code steadymix-summary.json} beside the Gatling
 * report: the orders' count, p50, p99 and failures, and the automatic trips {@code /ops/sources}
 * showed during the run (a steady mix must trip nothing; {@code -DwatchTrips=false} skips it).
 *
 * <pre>
 * mvn -B gatling:test -Dgatling.simulationClass=io.ordergate.loadtest.SteadyMix \
 *     -DbaseUrl=http://127.0.0.1:8080 -Drate=300 -Dduration=60 -Dramp=5 -Dp99Ms=50 -DminSuccessPct=99.9 \
 *     -Dkeys=web:demo-web-key,mobile:demo-mobile-key,partner:demo-partner-key -Dweights=50,30,20
 * </pre>
 */
public class SteadyMix extends Simulation {
  private final double rate = Params.number("rate", 300);
  private final Duration duration = Params.seconds("duration", 60);
  private final Duration ramp = Params.seconds("ramp", 5);
  private final double p99Ms = Params.number("p99Ms", 50);
  private final double minSuccessPct = Params.number("minSuccessPct", 99.9);
  private final String[] keys =
      Params.string("keys", "web:demo-web-key,mobile:demo-mobile-key,partner:demo-partner-key")
          .split(",");
  private final String[] weights = Params.string("weights", "50,30,20").split(",");
  private final int readEvery = (int) Params.number("readEvery", 10);
  private final double swing = Params.number("swing", 1);
  private final boolean watchTrips = !"false".equals(Params.string("watchTrips", "true"));
  private final Legit orders = new Legit("steady");
  private final Timeline timeline = new Timeline();
  private TripWatch watch;

  private ScenarioBuilder source(String name, String key) {
    return scenario(name)
        .exec(Legit.order(name, key))
        .exec(orders::record)
        .doIf(
            session ->
                readEvery > 0 && session.userId() % readEvery == 0 && session.contains("location"))
        .then(
            io.gatling.javaapi.core.CoreDsl.exec(
                http("GET /orders/{id} (" + name + ")")
                    .get("#{location}")
                    .header("Authorization", "Bearer " + key)
                    .check(status().is(200))));
  }

  {
    orders.timeline(timeline);
    if (weights.length != keys.length) {
      throw new IllegalArgumentException("-Dweights needs one weight per -Dkeys entry");
    }
    double total = 0;
    for (String w : weights) {
      total += Double.parseDouble(w.trim());
    }
    List<PopulationBuilder> populations = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      String[] nameKey = keys[i].split(":", 2);
      double sourceRate = rate * Double.parseDouble(weights[i].trim()) / total;
      Duration half = duration.dividedBy(2);
      populations.add(
          source(nameKey[0], nameKey[1])
              .injectOpen(
                  swing > 1
                      ? new OpenInjectionStep[] {
                        rampUsersPerSec(1).to(sourceRate).during(ramp),
                        rampUsersPerSec(sourceRate).to(sourceRate * swing).during(half),
                        rampUsersPerSec(sourceRate * swing).to(sourceRate).during(half)
                      }
                      : new OpenInjectionStep[] {
                        rampUsersPerSec(1).to(sourceRate).during(ramp),
                        constantUsersPerSec(sourceRate).during(duration)
                      }));
    }
    setUp(populations)
        .protocols(Params.protocol())
        .assertions(
            global().responseTime().percentile(99.0).lt((int) Math.ceil(p99Ms)),
            global().successfulRequests().percent().gte(minSuccessPct));
  }

  @Override
  public void before() {
    if (watchTrips) {
      watch = new TripWatch(new DemoControl("SteadyMix"));
      if (!watch.reachable()) {
        System.out.println("[SteadyMix] the ops API does not answer: trips are not watched");
      }
    }
  }

  @Override
  public void after() {
    Summary summary =
        new Summary("steadymix")
            .put("rate", rate)
            .put("swing", swing)
            .put("durationSeconds", duration.toSeconds())
            .put("readEvery", readEvery);
    orders.report(summary);
    if (watch != null) {
      watch.close();
      Map<String, TripWatch.Trip> trips = watch.trips();
      summary
          .put("tripsWatched", watch.reachable())
          .put("trips", watch.reachable() ? trips.size() : null)
          .put("trippedSources", String.join(" ", new TreeMap<>(trips).keySet()));
      trips.forEach(
          (source, trip) ->
              System.out.printf("[SteadyMix] FALSE TRIP of %s: %s%n", source, trip.summary()));
    }
    summary.write();
    timeline.write(timeline.legit.first());
  }
}
