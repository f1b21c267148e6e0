package io.ordergate.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's legitimate sources at a steady rate: web, mobile and partner post orders (50/30/20 %
 * of {@code -Drate}), and every tenth order is read back through the gateway. Asserts the p99 and
 * the share of successful requests.
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

  private final HttpProtocolBuilder protocol =
      http.baseUrl(Params.baseUrl())
          .contentTypeHeader("application/json")
          .header("X-Upstream-Environment", Params.environment())
          .shareConnections()
          .disableWarmUp();

  static ScenarioBuilder source(String name, String key, int readEvery) {
    return scenario(name)
        .exec(
            http("POST /orders (" + name + ")")
                .post("/orders")
                .header("Authorization", "Bearer " + key)
                .body(StringBody(Params.ORDER))
                .check(status().is(201))
                .check(
                    io.gatling.javaapi.http.HttpDsl.header("Location")
                        .optional()
                        .saveAs("location")))
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
      populations.add(
          source(nameKey[0], nameKey[1], 10)
              .injectOpen(
                  rampUsersPerSec(1).to(sourceRate).during(ramp),
                  constantUsersPerSec(sourceRate).during(duration)));
    }
    setUp(populations)
        .protocols(protocol)
        .assertions(
            global().responseTime().percentile(99.0).lt((int) Math.ceil(p99Ms)),
            global().successfulRequests().percent().gte(minSuccessPct));
  }
}
