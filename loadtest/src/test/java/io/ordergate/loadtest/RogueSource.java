package io.ordergate.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
 *   <li>the legitimate sources' p50/p99 before the flood, during it (until the kill) and after the
 *       kill.
 * </ul>
 *
 * perftest is revived at the end, whatever happened.
 *
 * <pre>
 * mvn -B gatling:test -Dgatling.simulationClass=io.ordergate.loadtest.RogueSource \
 *     -DbaseUrl=http://127.0.0.1:8080 -DorderSystemUrl=http://127.0.0.1:8070 \
 *     -DunleashUrl=http://127.0.0.1:4242 -DunleashToken='*:*.order-gate-demo-admin-token' \
 *     -Drate=150 -DfloodFactor=10 -Dbefore=15 -Dramp=15 -DkillAfter=25 -Dafter=30 -DmaxFailedPct=0.1
 * </pre>
 */
public class RogueSource extends Simulation {
  private static final String[][] LEGIT = {
    {"web", "demo-web-key"}, {"mobile", "demo-mobile-key"}, {"partner", "demo-partner-key"}
  };

  private final double rate = Params.number("rate", 150);
  private final double floodFactor = Params.number("floodFactor", 10);
  private final Duration before = Params.seconds("before", 15);
  private final Duration ramp = Params.seconds("ramp", 15);
  private final Duration killAfter = Params.seconds("killAfter", 25);
  private final Duration after = Params.seconds("after", 30);
  private final String rogueKey = Params.string("rogueKey", "demo-perftest-key");
  private final String rogueFlag = Params.string("rogueFlag", "order-source.perftest");
  private final String orderSystemUrl = Params.string("orderSystemUrl", "http://127.0.0.1:8070");
  private final String unleashUrl = Params.string("unleashUrl", "http://127.0.0.1:4242");
  private final String unleashToken =
      Params.string("unleashToken", "*:*.order-gate-demo-admin-token");
  private final String unleashProject = Params.string("unleashProject", "default");
  private final String unleashEnvironment = Params.string("unleashEnvironment", "production");
  private final Path resultsDir = Path.of(Params.string("resultsDir", "target/gatling"));
  private final double maxKillLatencyMs = Params.number("maxKillLatencyMs", 1500);
  private final double maxFailedPct = Params.number("maxFailedPct", 0.1);

  // Filled by the virtual users (many threads), read once in after().
  private final Samples legitBefore = new Samples();
  private final Samples legitDuring = new Samples();
  private final Samples legitAfter = new Samples();
  private final AtomicLong legitFailures = new AtomicLong();
  private final AtomicLong floodStartMillis = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong killMillis = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastRogueAcceptedMillis = new AtomicLong();
  private final AtomicLong rogueAccepted = new AtomicLong();
  private final AtomicLong rogueRejected = new AtomicLong();
  private final AtomicLong rogueOther = new AtomicLong();
  private final AtomicLong rogueAcceptedAfterKill = new AtomicLong();
  private final AtomicLong orderSystemAtKill = new AtomicLong(-1);
  private final HttpClient admin =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final HttpProtocolBuilder protocol =
      http.baseUrl(Params.baseUrl())
          .contentTypeHeader("application/json")
          .header("X-Upstream-Environment", Params.environment())
          .shareConnections()
          .disableWarmUp();

  private ScenarioBuilder legit(String name, String key) {
    return scenario(name)
        .exec(
            http("POST /orders (" + name + ")")
                .post("/orders")
                .header("Authorization", "Bearer " + key)
                .body(StringBody(Params.ORDER))
                .check(
                    status().is(201),
                    status().saveAs("status"),
                    responseTimeInMillis().saveAs("rt")))
        .exec(
            session -> {
              long now = System.currentTimeMillis();
              if (session.isFailed() || !session.contains("rt")) {
                legitFailures.incrementAndGet();
                return session;
              }
              long rt = session.getLong("rt");
              long sentAt = now - rt;
              (sentAt < floodStartMillis.get()
                      ? legitBefore
                      : sentAt < killMillis.get() ? legitDuring : legitAfter)
                  .add(rt);
              return session;
            });
  }

  private ScenarioBuilder rogue() {
    return scenario("perftest (rogue)")
        .exec(
            session -> {
              floodStartMillis.compareAndSet(Long.MAX_VALUE, System.currentTimeMillis());
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
                if (now >= killMillis.get()) {
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
              orderSystemAtKill.set(receivedByOrderSystem());
              killMillis.set(System.currentTimeMillis());
              int status = toggle("off");
              System.out.printf(
                  "[RogueSource] kill %s: Unleash answered %d at %s%n",
                  rogueFlag, status, Instant.ofEpochMilli(killMillis.get()));
              return status == 200 ? session : session.markAsFailed();
            });
  }

  {
    List<PopulationBuilder> populations = new ArrayList<>();
    Duration total = before.plus(killAfter).plus(after);
    for (String[] source : LEGIT) {
      populations.add(
          legit(source[0], source[1])
              .injectOpen(constantUsersPerSec(rate / LEGIT.length).during(total)));
    }
    double floodRate = rate * floodFactor;
    Duration hold = total.minus(before).minus(ramp);
    populations.add(
        rogue()
            .injectOpen(
                nothingFor(before),
                rampUsersPerSec(1).to(floodRate).during(ramp),
                constantUsersPerSec(floodRate).during(hold)));
    populations.add(
        ops()
            .injectOpen(
                nothingFor(before.plus(killAfter)),
                io.gatling.javaapi.core.CoreDsl.atOnceUsers(1)));
    setUp(populations)
        .protocols(protocol)
        // Legitimate orders refused (e.g. 503 backend-saturated while the flood fills the bulkhead)
        // and perftest answers other than 201/503 fail requests; the summary counts them too.
        .assertions(global().failedRequests().percent().lte(maxFailedPct));
  }

  @Override
  public void before() {
    // A run that died half-way must not leave perftest killed for the next one.
    int status = toggle("on");
    if (status != 200) {
      throw new IllegalStateException(
          "Unleash Admin API at "
              + unleashUrl
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
    int revived = toggle("on");
    long orderSystemAtEnd = receivedByOrderSystem();
    long kill = killMillis.get();
    long lastAccepted = lastRogueAcceptedMillis.get();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put(
        "killCalledAt", kill == Long.MAX_VALUE ? null : Instant.ofEpochMilli(kill).toString());
    summary.put("killLatencyMs", kill == Long.MAX_VALUE ? null : Math.max(0, lastAccepted - kill));
    summary.put("killLatencyTargetMs", (long) maxKillLatencyMs);
    summary.put(
        "rogueOrdersReachingOrderSystemAfterKill",
        orderSystemAtKill.get() < 0 || orderSystemAtEnd < 0
            ? null
            : orderSystemAtEnd - orderSystemAtKill.get());
    summary.put("rogueAcceptedAfterKill", rogueAcceptedAfterKill.get());
    summary.put("rogueAccepted", rogueAccepted.get());
    summary.put("rogueRejected", rogueRejected.get());
    summary.put("rogueOther", rogueOther.get());
    summary.put("legitFailures", legitFailures.get());
    for (var phase :
        List.of(
            Map.entry("before", legitBefore),
            Map.entry("during", legitDuring),
            Map.entry("after", legitAfter))) {
      summary.put("legit_" + phase.getKey() + "_count", phase.getValue().count());
      summary.put("legit_" + phase.getKey() + "_p50Ms", phase.getValue().percentile(50));
      summary.put("legit_" + phase.getKey() + "_p99Ms", phase.getValue().percentile(99));
    }
    summary.put("perftestRevived", revived == 200);
    write(summary);
  }

  private void write(Map<String, Object> summary) {
    StringBuilder json = new StringBuilder("{\n");
    StringBuilder header = new StringBuilder();
    StringBuilder row = new StringBuilder();
    summary.forEach(
        (k, v) -> {
          String value =
              v == null ? "null" : v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
          json.append(json.length() > 2 ? ",\n" : "")
              .append("  \"")
              .append(k)
              .append("\": ")
              .append(value);
          header.append(header.length() > 0 ? "," : "").append(k);
          row.append(row.length() > 0 ? "," : "").append(v == null ? "" : v);
        });
    json.append("\n}\n");
    Path dir = reportDir();
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("roguesource-summary.json"), json);
      Files.writeString(dir.resolve("roguesource-summary.csv"), header + "\n" + row + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("[RogueSource] summary (" + dir.resolve("roguesource-summary.json") + "):");
    System.out.print(json);
    Object latency = summary.get("killLatencyMs");
    if (latency instanceof Long l && l > maxKillLatencyMs) {
      System.out.printf(
          "[RogueSource] kill latency %d ms is over the target of %.0f ms%n", l, maxKillLatencyMs);
    }
  }

  /**
   * This run's report directory (Gatling creates it when the run starts), else the results folder.
   */
  private Path reportDir() {
    try (Stream<Path> dirs = Files.list(resultsDir)) {
      return dirs.filter(Files::isDirectory)
          .filter(p -> p.getFileName().toString().startsWith("roguesource-"))
          .max(Comparator.comparing(p -> p.toFile().lastModified()))
          .orElse(resultsDir);
    } catch (IOException e) {
      return resultsDir;
    }
  }

  private int toggle(String onOff) {
    String url =
        unleashUrl
            + "/api/admin/projects/"
            + unleashProject
            + "/features/"
            + rogueFlag
            + "/environments/"
            + unleashEnvironment
            + "/"
            + onOff;
    try {
      HttpResponse<Void> response =
          admin.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", unleashToken)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode();
    } catch (IOException e) {
      System.out.println("[RogueSource] Unleash Admin API unreachable: " + e.getMessage());
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static final Pattern PERFTEST_COUNT = Pattern.compile("\"perftest\"\\s*:\\s*(\\d+)");

  /** perftest orders the demo order system has received ({@code GET /orders}), or -1. */
  private long receivedByOrderSystem() {
    try {
      HttpResponse<String> response =
          admin.send(
              HttpRequest.newBuilder(URI.create(orderSystemUrl + "/orders"))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher m = PERFTEST_COUNT.matcher(response.body());
      return response.statusCode() != 200 ? -1 : m.find() ? Long.parseLong(m.group(1)) : 0;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
