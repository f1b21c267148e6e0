import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The admin half of loadtest/kill-latency.sh with a finer clock: flips order-source.SOURCE through
 * the Unleash Admin API (what the UI does) and measures until EVERY replica refuses (503
 * source-disabled) or accepts (201) the source's writes. The clock starts just before the admin request is sent and stops when
 * the last replica first answers the new way; each replica is polled by its own thread on a
 * kept-alive connection every ~5 ms, so the figure has about 5 ms of granularity instead of the
 * shell loop's tens of ms (a curl and a date per probe, replicas one after the other).
 *
 * <p>{@code java loadtest/KillProbe.java [rounds] [source]} (single-file launch, JDK 17). Env as
 * kill-latency.sh: REPLICAS, UNLEASH_ADMIN_URL, UNLEASH_ADMIN_TOKEN, UNLEASH_PROJECT,
 * UNLEASH_ENVIRONMENT, PROBE_INTERVAL_MS (5). The probes are writes: at ~600/s they would trip the
 * source's auto-trip (a hold, 202), so first run {@code order-gate sources set SOURCE --trip-rate
 * off} (kill-latency.sh does when ORDERGATE_DATABASE_URL is set); the probe stops at a 202.
 */
public final class KillProbe {
  private static final String DISABLED = "/problems/source-disabled";
  private static final String TRIPPED =
      "the probes tripped the source's auto-trip; turn it off for the measurement with"
          + " order-gate sources set SOURCE --trip-rate off";
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    String source = args.length > 1 ? args[1] : "perftest";
    int replicas = Integer.parseInt(env("REPLICAS", "3"));
    String admin = env("UNLEASH_ADMIN_URL", "http://127.0.0.1:4242");
    String token = env("UNLEASH_ADMIN_TOKEN", "*:*.order-gate-demo-admin-token");
    String flagUrl =
        admin
            + "/api/admin/projects/"
            + env("UNLEASH_PROJECT", "default")
            + "/features/order-source."
            + source
            + "/environments/"
            + env("UNLEASH_ENVIRONMENT", "production");
    long intervalNanos = (long) (Double.parseDouble(env("PROBE_INTERVAL_MS", "5")) * 1_000_000);
    List<HttpRequest> probes = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      probes.add(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (8080 + i) + "/orders"))
              .header("Authorization", "Bearer demo-" + source + "-key")
              .header("X-Upstream-Environment", "production")
              .header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(5))
              .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"LAT-1\",\"qty\":1}"))
              .build());
    }
    for (int i = 0; i < replicas; i++) {
      int code = status(probes.get(i));
      if (code != 201) {
        fail(
            source
                + " is not accepted by replica "
                + i
                + " now (HTTP "
                + code
                + "); revive it first"
                + (code == 202 ? "; " + TRIPPED : ""));
      }
    }
    long[] kills = new long[rounds];
    long[] revives = new long[rounds];
    for (int r = 0; r < rounds; r++) {
      kills[r] = round(flagUrl + "/off", token, probes, 503, intervalNanos);
      pause();
      revives[r] = round(flagUrl + "/on", token, probes, 201, intervalNanos);
      System.out.printf(
          "admin round %d: all %d refuse after %.1f ms, all accept again after %.1f ms%n",
          r + 1, replicas, kills[r] / 1e6, revives[r] / 1e6);
      pause();
    }
    System.out.println();
    summary("admin kill -> all", kills);
    summary("admin revive -> all", revives);
  }

  /** Nanoseconds from just before the admin call until the last replica answers {@code want}. */
  private static long round(
      String flipUrl, String token, List<HttpRequest> probes, int want, long intervalNanos)
      throws InterruptedException {
    int n = probes.size();
    long[] answered = new long[n];
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(n);
    long deadline = System.nanoTime() + 10_000_000_000L;
    String[] failure = new String[1];
    for (int i = 0; i < n; i++) {
      int replica = i;
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                  while (true) {
                    long sent = System.nanoTime();
                    HttpResponse<String> r =
                        HTTP.send(probes.get(replica), HttpResponse.BodyHandlers.ofString());
                    long now = System.nanoTime();
                    int code = r.statusCode();
                    // Only the kill's own refusal counts: a 503 of the breaker or the fair share
                    // would end a round early.
                    if (code == want && (want != 503 || r.body().contains(DISABLED))) {
                      answered[replica] = now;
                      return;
                    }
                    if (code == 202) {
                      failure[0] = "replica " + replica + " holds the writes (202): " + TRIPPED;
                      return;
                    }
                    if (now > deadline) {
                      failure[0] = "replica " + replica + ": no " + want + " within 10 s";
                      return;
                    }
                    LockSupport.parkNanos(sent + intervalNanos - now);
                  }
                } catch (Exception e) {
                  failure[0] = "replica " + replica + ": " + e;
                } finally {
                  done.countDown();
                }
              },
              "probe-" + i);
      t.setDaemon(true);
      t.start();
    }
    HttpRequest flip =
        HttpRequest.newBuilder(URI.create(flipUrl))
            .header("Authorization", token)
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    long start = System.nanoTime(); // before the admin request is sent
    int code;
    try {
      code = HTTP.send(flip, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new IllegalStateException("Unleash: " + e, e);
    }
    if (code != 200) {
      fail("Unleash answered " + code + " to " + flipUrl);
    }
    // The probes start once Unleash has answered: a change cannot be published before it is made,
    // and probing during the call would only slow Unleash down.
    go.countDown();
    done.await();
    if (failure[0] != null) {
      fail(failure[0]);
    }
    return Arrays.stream(answered).max().orElseThrow() - start;
  }

  private static int status(HttpRequest request) throws IOException, InterruptedException {
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static void pause() throws InterruptedException {
    Thread.sleep(ThreadLocalRandom.current().nextInt(100, 1000)); // as kill-latency.sh: 0.1-0.9 s
  }

  private static void summary(String name, long[] nanos) {
    long[] v = nanos.clone();
    Arrays.sort(v);
    int n = v.length;
    System.out.printf(
        "%-22s n=%d  min %d ms  p50 %d ms  p90 %d ms  p99 %d ms  max %d ms%n",
        name,
        n,
        ms(v[0]),
        ms(v[(n - 1) / 2]),
        ms(v[Math.min(n - 1, (n * 90 + 99) / 100 - 1)]),
        ms(v[Math.min(n - 1, (n * 99 + 99) / 100 - 1)]),
        ms(v[n - 1]));
  }

  private static long ms(long nanos) {
    return Math.round(nanos / 1e6);
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static void fail(String message) {
    System.err.println("kill-probe: " + message);
    System.exit(1);
  }
}
