package io.ordergate.demo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in order system for the demo: stores orders in memory and says which source each came
 * from, as the gateway told it with {@code X-Order-Source}. Several instances (one per event loop)
 * can share one {@link Store}, as the standalone {@code order-system} command does.
 */
public final class DemoOrderSystem extends VerticleBase {
  private final String host;
  private final int port;

  /** Keeps the most recent orders only, so a benchmark against the demo does not eat the heap. */
  static final int KEPT_ORDERS = 100_000;

  private final Store store;
  private HttpServer server;

  public DemoOrderSystem(String host, int port) {
    this(host, port, new Store());
  }

  public DemoOrderSystem(String host, int port, Store store) {
    this.host = host;
    this.port = port;
    this.store = store;
  }

  /** The orders received, shared by every instance that serves the same port. */
  public static final class Store {
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Long> receivedBySource = new ConcurrentHashMap<>();
    private final Map<String, Long> cancelledBySource = new ConcurrentHashMap<>();
    private final Map<String, JsonObject> orders =
        java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, false) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<String, JsonObject> eldest) {
                return size() > KEPT_ORDERS;
              }
            });
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer();
    return server.requestHandler(this::handle).listen(port, host);
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    AtomicLong sequence = store.sequence;
    Map<String, Long> receivedBySource = store.receivedBySource;
    Map<String, Long> cancelledBySource = store.cancelledBySource;
    Map<String, JsonObject> orders = store.orders;
    String path = req.path();
    String source = req.getHeader("X-Order-Source");
    if (path.equals("/orders") && req.method() == HttpMethod.POST) {
      req.body()
          .onSuccess(
              body -> {
                String id = "ord-" + sequence.incrementAndGet();
                JsonObject order =
                    new JsonObject()
                        .put("id", id)
                        .put("source", source)
                        .put("requestId", req.getHeader("X-Request-Id"));
                orders.put(id, order.copy().put("bytes", body.length()));
                receivedBySource.merge(String.valueOf(source), 1L, Long::sum);
                req.response()
                    .setStatusCode(201)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.LOCATION, "/orders/" + id)
                    .end(order.encode());
              });
      return;
    }
    if (path.equals("/orders") && req.method() == HttpMethod.GET) {
      Map<String, Object> bySource = new TreeMap<>(receivedBySource);
      long cancelled = cancelledBySource.values().stream().mapToLong(Long::longValue).sum();
      json(
          req,
          200,
          new JsonObject()
              .put("received", sequence.get())
              .put("receivedBySource", new JsonObject(bySource))
              .put("cancelled", cancelled)
              .put("cancelledBySource", new JsonObject(new TreeMap<>(cancelledBySource)))
              .put("kept", orders.size()));
      return;
    }
    if (path.startsWith("/orders/")) {
      String id = path.substring("/orders/".length());
      JsonObject order = orders.get(id);
      if (req.method() == HttpMethod.GET) {
        json(
            req,
            order == null ? 404 : 200,
            order == null ? new JsonObject().put("error", "no order " + id) : order);
      } else if (req.method() == HttpMethod.DELETE) {
        JsonObject removed = orders.remove(id);
        if (removed == null) {
          json(req, 404, new JsonObject().put("error", "no order " + id));
        } else {
          cancelledBySource.merge(String.valueOf(removed.getString("source")), 1L, Long::sum);
          req.response().setStatusCode(204).end();
        }
      } else {
        json(req, 405, new JsonObject().put("error", "method not allowed"));
      }
      return;
    }
    json(req, 404, new JsonObject().put("error", "not found"));
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.encode());
  }
}
