package io.ordergate.support;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
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
              long delay = delayMillis.get();
              if (delay > 0) {
                vertx.setTimer(delay, t -> answer(req));
              } else {
                answer(req);
              }
            });
  }

  private void answer(HttpServerRequest req) {
    int code = status.get();
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

  @Override
  public void close() {
    close(server);
  }
}
