package io.ordergate.support;

import io.ordergate.demo.Demo;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load on a gateway's traffic port: {@code connections} keep-alive connections, each
 * sending the next order as soon as the previous one is answered. Counts answers by status (-1: no
 * answer, e.g. the gateway was killed) and, when asked, keeps the request ids answered 2xx.
 */
public final class Load {
  private static final Buffer BODY = Buffer.buffer("{\"sku\":\"A-1\",\"qty\":1}");

  private final Vertx vertx;
  private final HttpClient client;
  private final RequestOptions options;
  private final boolean keepIds;
  private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
  private final Map<String, Long> accepted = new ConcurrentHashMap<>();
  private final AtomicInteger running = new AtomicInteger();
  private volatile boolean stopped;

  private Load(Vertx vertx, int port, String source, int connections, boolean keepIds) {
    this.vertx = vertx;
    this.keepIds = keepIds;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2_000),
            new PoolOptions().setHttp1MaxSize(connections));
    this.options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI("/orders")
            .setTimeout(10_000)
            .putHeader("Authorization", "Bearer " + Demo.keyOf(source))
            .putHeader("X-Upstream-Environment", GatewayHarness.ENVIRONMENT)
            .putHeader("Content-Type", "application/json");
  }

  /** Starts the load at once. */
  public static Load start(Vertx vertx, int port, String source, int connections, boolean keepIds) {
    Load load = new Load(vertx, port, source, connections, keepIds);
    for (int i = 0; i < connections; i++) {
      load.running.incrementAndGet();
      vertx.runOnContext(v -> load.next());
    }
    return load;
  }

  private void next() {
    if (stopped) {
      running.decrementAndGet();
      return;
    }
    client
        .request(options)
        .compose(req -> req.send(BODY))
        .compose(resp -> resp.body().map(b -> resp))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                int status = ar.result().statusCode();
                count(status);
                if (keepIds && status / 100 == 2) {
                  accepted.put(ar.result().getHeader("X-Request-Id"), System.nanoTime());
                }
                next();
              } else {
                count(-1);
                vertx.setTimer(20, t -> next());
              }
            });
  }

  private void count(int status) {
    byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
  }

  /** Answers so far, by status. */
  public Map<Integer, Long> byStatus() {
    Map<Integer, Long> out = new TreeMap<>();
    byStatus.forEach((s, n) -> out.put(s, n.get()));
    return out;
  }

  public long answered(int status) {
    AtomicLong n = byStatus.get(status);
    return n == null ? 0 : n.get();
  }

  /** Request ids answered 2xx, with the System.nanoTime() of the answer (only with keepIds). */
  public Map<String, Long> accepted() {
    return accepted;
  }

  /** Stops sending and waits for the answers still due. */
  public Map<Integer, Long> stop() {
    stopped = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (running.get() > 0 && System.nanoTime() < deadline) {
      GatewayHarness.sleep(10);
    }
    client.close();
    return byStatus();
  }
}
