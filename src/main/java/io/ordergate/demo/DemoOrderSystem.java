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
 * from, as the gateway told it with {@code X-Order-Source}.
 */
public final class DemoOrderSystem extends VerticleBase {
  private final String host;
  private final int port;
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, JsonObject> orders = new ConcurrentHashMap<>();
  private HttpServer server;

  public DemoOrderSystem(String host, int port) {
    this.host = host;
    this.port = port;
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
    String path = req.path();
    String source = req.getHeader("X-Order-Source");
    if (path.equals("/orders") && req.method() == HttpMethod.POST) {
      req.body().onSuccess(body -> {
        String id = "ord-" + sequence.incrementAndGet();
        JsonObject order = new JsonObject().put("id", id).put("source", source).put("requestId", req.getHeader("X-Request-Id"));
        orders.put(id, order.copy().put("bytes", body.length()));
        req.response().setStatusCode(201)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.LOCATION, "/orders/" + id)
            .end(order.encode());
      });
      return;
    }
    if (path.equals("/orders") && req.method() == HttpMethod.GET) {
      Map<String, Integer> bySource = new TreeMap<>();
      orders.values().forEach(o -> bySource.merge(String.valueOf(o.getString("source")), 1, Integer::sum));
      json(req, 200, new JsonObject().put("total", orders.size()).put("bySource", new JsonObject(new java.util.LinkedHashMap<>(bySource))));
      return;
    }
    if (path.startsWith("/orders/")) {
      String id = path.substring("/orders/".length());
      JsonObject order = orders.get(id);
      if (req.method() == HttpMethod.GET) {
        json(req, order == null ? 404 : 200, order == null ? new JsonObject().put("error", "no order " + id) : order);
      } else if (req.method() == HttpMethod.DELETE) {
        if (orders.remove(id) == null) {
          json(req, 404, new JsonObject().put("error", "no order " + id));
        } else {
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
    req.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }
}
