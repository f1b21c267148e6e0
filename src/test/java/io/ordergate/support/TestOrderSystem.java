package io.ordergate.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * An in-process order system that can cancel: POST /orders creates an order ({@code 201}, its id in
 * {@code Location} and the body); DELETE /orders/{id} answers 204 the first time and 404 after. Any
 * id counts as an existing order until cancelled, so tests may plant audit rows for made-up ids.
 * Tests can make it answer another status for some ids, or take a cancel and never answer it.
 */
public final class TestOrderSystem implements AutoCloseable {
  /** One request as received; {@code path} is raw (still percent-encoded). */
  public record Request(String method, String path, String source, String requestId) {}

  private final HttpServer server;
  private final List<Request> received = new CopyOnWriteArrayList<>();
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger deletes = new AtomicInteger();
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private volatile Function<String, Integer> statusFor = id -> null;
  private volatile Predicate<String> neverAnswer = id -> false;
  private volatile IntConsumer onDelete = n -> {};

  private TestOrderSystem(HttpServer server) {
    this.server = server;
  }

  public static TestOrderSystem start(Vertx vertx) {
    TestOrderSystem[] holder = new TestOrderSystem[1];
    holder[0] = new TestOrderSystem(TestBackend.listen(vertx, req -> holder[0].handle(req)));
    return holder[0];
  }

  private void handle(HttpServerRequest req) {
    req.body()
        .onSuccess(
            body -> {
              String path = req.path();
              received.add(
                  new Request(
                      req.method().name(),
                      path,
                      req.getHeader("X-Order-Source"),
                      req.getHeader("X-Request-Id")));
              if (req.method() == HttpMethod.POST && path.equals("/orders")) {
                String id = "ord-" + ids.incrementAndGet();
                req.response()
                    .setStatusCode(201)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Location", "/orders/" + id)
                    .end(
                        new JsonObject()
                            .put("id", id)
                            .put("source", req.getHeader("X-Order-Source"))
                            .encode());
              } else if (req.method() == HttpMethod.DELETE && path.startsWith("/orders/")) {
                String id = path.substring("/orders/".length());
                onDelete.accept(deletes.incrementAndGet());
                Integer status = statusFor.apply(id);
                if (neverAnswer.test(id)) {
                  cancelled.add(
                      id); // cancelled here, but the answer does not come (until released)
                  held.add(req);
                } else if (status != null) {
                  req.response().setStatusCode(status).end();
                } else {
                  req.response().setStatusCode(cancelled.add(id) ? 204 : 404).end();
                }
              } else {
                req.response().setStatusCode(200).end("{}");
              }
            });
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<Request> received() {
    return received;
  }

  /** Paths of the DELETEs received, in order, raw. */
  public List<String> deletePaths() {
    return received.stream().filter(r -> r.method().equals("DELETE")).map(Request::path).toList();
  }

  public List<Request> deletes() {
    return received.stream().filter(r -> r.method().equals("DELETE")).toList();
  }

  /** Ids cancelled so far (each once, however often asked). */
  public Set<String> cancelled() {
    return Set.copyOf(cancelled);
  }

  /** Answers {@code status} (or the normal answer where it returns null) for the ids it names. */
  public void answer(Function<String, Integer> statusFor) {
    this.statusFor = statusFor;
  }

  public void neverAnswer(Predicate<String> which) {
    this.neverAnswer = which;
  }

  /**
   * Answers the cancels held so far with {@code status} (they were cancelled when they arrived).
   */
  public void releaseHeld(int status) {
    List<HttpServerRequest> now = List.copyOf(held);
    held.removeAll(now);
    now.stream()
        .filter(req -> !req.response().closed())
        .forEach(req -> req.response().setStatusCode(status).end());
  }

  /** Called with the number of DELETEs received so far, as each arrives. */
  public void onDelete(IntConsumer hook) {
    this.onDelete = hook;
  }

  @Override
  public void close() {
    TestBackend.close(server);
  }
}
