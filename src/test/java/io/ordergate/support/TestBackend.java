package io.ordergate.support;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** An in-process order system whose behaviour a test can change: answer, slow down, fail. */
public final class TestBackend implements AutoCloseable {
  /**
   * One request as the order system saw it, and when its headers arrived ({@link
   * System#nanoTime()}).
   */
  public record Received(String method, String uri, MultiMap headers, String body, long atNanos) {}

  private final Vertx vertx;
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger status = new AtomicInteger(201);
  private final AtomicLong delayMillis = new AtomicLong();
  private final AtomicLong delayPerInFlight = new AtomicLong();
  private final Map<String, Integer> statusBySource = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> peak = new ConcurrentHashMap<>();
  private final AtomicInteger inFlightAll = new AtomicInteger();
  private final List<HttpServerRequest> held = new ArrayList<>();
  private boolean holding;

  private TestBackend(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static TestBackend start(Vertx vertx) {
    TestBackend[] holder = new TestBackend[1];
    holder[0] = new TestBackend(vertx, listen(vertx, req -> holder[0].handle(req)));
    return holder[0];
  }

  /** A server on a free loopback port, listening once this returns. */
  static HttpServer listen(Vertx vertx, io.vertx.core.Handler<HttpServerRequest> handler) {
    HttpServer server = vertx.createHttpServer().requestHandler(handler);
    try {
      server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return server;
  }

  static void close(HttpServer server) {
    try {
      server.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpServerRequest req) {
    long arrived = System.nanoTime();
    req.body()
        .onSuccess(
            body -> {
              received.add(
                  new Received(
                      req.method().name(),
                      req.uri(),
                      MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
                      body.toString(),
                      arrived));
              String source = String.valueOf(req.getHeader("X-Order-Source"));
              int now = inFlightAll.incrementAndGet();
              int mine =
                  inFlight.computeIfAbsent(source, s -> new AtomicInteger()).incrementAndGet();
              peak.computeIfAbsent(source, s -> new AtomicInteger())
                  .accumulateAndGet(mine, Math::max);
              java.util.concurrent.atomic.AtomicBoolean over =
                  new java.util.concurrent.atomic.AtomicBoolean();
              io.vertx.core.Handler<Void> finished =
                  v -> {
                    if (over.compareAndSet(false, true)) {
                      inFlightAll.decrementAndGet();
                      inFlight.get(source).decrementAndGet();
                    }
                  };
              req.response().endHandler(finished).closeHandler(finished);
              synchronized (held) {
                if (holding) {
                  held.add(req);
                  return;
                }
              }
              long delay = delayMillis.get() + delayPerInFlight.get() * now;
              if (delay > 0) {
                vertx.setTimer(delay, t -> answer(req));
              } else {
                answer(req);
              }
            });
  }

  private void answer(HttpServerRequest req) {
    int code =
        statusBySource.getOrDefault(String.valueOf(req.getHeader("X-Order-Source")), status.get());
    String id = "ord-" + ids.incrementAndGet();
    JsonObject body = new JsonObject().put("id", id).put("source", req.getHeader("X-Order-Source"));
    req.response()
        .setStatusCode(code)
        .putHeader("Content-Type", "application/json")
        .putHeader("Connection", "keep-alive")
        .putHeader("X-Backend", "test")
        .end(body.encode());
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public List<Received> received() {
    return received;
  }

  public void answerWith(int statusCode) {
    status.set(statusCode);
  }

  public void delay(long millis) {
    delayMillis.set(millis);
  }

  /** Answers the source's requests with {@code statusCode}, the others as before. */
  public void answerWith(String source, int statusCode) {
    statusBySource.put(source, statusCode);
  }

  /** Slows down under load: each answer waits this long per request in flight when it came. */
  public void slowDownUnderLoad(long millisPerRequestInFlight) {
    delayPerInFlight.set(millisPerRequestInFlight);
  }

  /** From now on requests are held unanswered until {@link #answerHeld} or {@link #stopHolding}. */
  public void hold() {
    synchronized (held) {
      holding = true;
    }
  }

  /** Answers up to {@code n} held requests, oldest first; returns how many it answered. */
  public int answerHeld(int n) {
    List<HttpServerRequest> now = new ArrayList<>();
    synchronized (held) {
      while (now.size() < n && !held.isEmpty()) {
        now.add(held.remove(0));
      }
    }
    now.forEach(r -> vertx.runOnContext(v -> answer(r)));
    return now.size();
  }

  /** Answers every held request and stops holding. */
  public void stopHolding() {
    synchronized (held) {
      holding = false;
    }
    answerHeld(Integer.MAX_VALUE);
  }

  /** Requests received and not answered yet, of one source ({@code X-Order-Source}). */
  public int inFlight(String source) {
    AtomicInteger n = inFlight.get(source);
    return n == null ? 0 : n.get();
  }

  /** The most requests of one source this backend has had in flight at once. */
  public int peakInFlight(String source) {
    AtomicInteger n = peak.get(source);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    close(server);
  }
}
