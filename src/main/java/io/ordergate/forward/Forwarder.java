package io.ordergate.forward;

import io.ordergate.config.ResilienceSettings;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.problem.Failure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends a request to the order system through one pooled HTTP client, inside the breakers, the fair
 * share, the bulkhead and the time limit of {@link BackendGuard}. Fails only with {@link
 * ForwardFailure}.
 */
public final class Forwarder {
  private static final Object TIMED_OUT = new Object();

  private final Vertx vertx;

  /** Used off the event loops (none on the request path); each event loop gets its own, below. */
  private final HttpClientAgent client;

  /**
   * One client per event loop, created on it, so a request and its backend connection share one
   * thread: a shared pool hands a request on one loop a connection on another, and each such hop
   * costs two task hand-offs and a wake-up (about a quarter of the forwarding CPU in the profile).
   */
  private final Map<Thread, HttpClientAgent> clients = new ConcurrentHashMap<>();

  private final HttpClientOptions clientOptions;
  private final PoolOptions poolOptions;
  private final BackendGuard guard;
  private final GateMetrics metrics;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final String basePath;
  private final long timeoutMillis;
  private final ForwardFailures failures;
  private final int maxResponseBytes;

  /** The default of {@code ORDERGATE_MAX_RESPONSE_BYTES}. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 1_048_576;

  public Forwarder(
      Vertx vertx,
      URI backend,
      ResilienceSettings settings,
      BackendGuard guard,
      GateMetrics metrics) {
    this(vertx, backend, settings, guard, metrics, 1, DEFAULT_MAX_RESPONSE_BYTES);
  }

  /**
   * @param eventLoops the connection limit is split evenly among them, at least one each
   * @param maxResponseBytes the largest answer passed on; a larger one fails the request with
   *     {@link Failure#RESPONSE_TOO_LARGE}. Answers are held in memory (an Idempotency-Key stores
   *     them, the audit reads the order id from them), so this bounds that memory at this size
   *     times the backend connections.
   */
  public Forwarder(
      Vertx vertx,
      URI backend,
      ResilienceSettings settings,
      BackendGuard guard,
      GateMetrics metrics,
      int eventLoops,
      int maxResponseBytes) {
    this.vertx = vertx;
    this.maxResponseBytes = maxResponseBytes;
    this.guard = guard;
    this.metrics = metrics;
    BackendAddress address = BackendAddress.of(backend);
    this.ssl = address.ssl();
    this.host = address.host();
    this.port = address.port();
    this.basePath = address.basePath();
    this.timeoutMillis = guard.timeout().toMillis();
    this.failures = new ForwardFailures(host, port, timeoutMillis, settings.pipelining());
    // Pipelining (opt-in): a request is written behind others still waiting for their answers on
    // the same connection. A request that fails or times out there resets the connection (see
    // send), so the ones behind it fail at once as "maybe sent" and are never sent again: HTTP/1.1
    // cannot say which of them the order system read.
    this.clientOptions =
        new HttpClientOptions()
            .setKeepAlive(true)
            .setPipelining(settings.pipelining())
            .setPipeliningLimit(settings.pipeliningLimit())
            .setConnectTimeout((int) settings.connectTimeout().toMillis())
            .setTcpNoDelay(true)
            .setDecompressionSupported(false);
    int perLoop =
        Math.max(1, (settings.maxConnections() + eventLoops - 1) / Math.max(1, eventLoops));
    this.poolOptions =
        new PoolOptions().setHttp1MaxSize(perLoop).setMaxWaitQueueSize(settings.maxConcurrent());
    this.client = newClient();
  }

  private HttpClientAgent newClient() {
    return vertx.httpClientBuilder().with(clientOptions).with(poolOptions).build();
  }

  /**
   * The calling event loop's own client, created on first use from that loop. Keyed by the loop's
   * thread: every request runs on a context of its own (a duplicate), but a loop is one thread.
   */
  private HttpClientAgent client() {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      return client;
    }
    Thread loop = Thread.currentThread();
    HttpClientAgent own = clients.get(loop);
    return own != null ? own : clients.computeIfAbsent(loop, t -> newClient());
  }

  /** Fails only with {@link ForwardFailure}, which says whether the request may have been sent. */
  public Future<BackendReply> forward(ForwardRequest request) {
    return guard.admit(request.sourceId()).compose(pass -> send(request, pass));
  }

  private Future<BackendReply> send(ForwardRequest request, Pass pass) {
    // A wait for a fair-share slot counts against the time limit.
    long limitMillis = pass.remainingMillis(timeoutMillis);
    long start = System.nanoTime();
    Promise<BackendReply> result = Promise.promise();
    // The request once it is handed to a connection, or TIMED_OUT once it may not be. The client
    // connection can run on another event loop than this timer, so "send or give up" is decided by
    // one compare-and-set, and the same slot later says whether the request was sent.
    AtomicReference<Object> slot = new AtomicReference<>();
    long timer =
        vertx.setTimer(
            limitMillis,
            id -> {
              if (result.future().isComplete()) {
                return;
              }
              Object sent = slot.getAndSet(TIMED_OUT); // from here on nothing more is sent
              result.tryFail(failures.timedOut(sent != null));
              if (sent instanceof HttpClientRequest inFlight) {
                // After the 504 is decided: a reset fails the exchange with another error. On
                // HTTP/1.1 it closes the connection, which also bounds head-of-line blocking: the
                // requests pipelined behind this one end now (in doubt), and no new one waits
                // there.
                inFlight.reset();
              }
            });
    try {
      RequestOptions options =
          new RequestOptions()
              .setMethod(request.method())
              .setHost(host)
              .setPort(port)
              .setSsl(ssl)
              .setURI(basePath + request.pathAndQuery())
              .setHeaders(Headers.forBackend(request))
              // Leave the pool's wait queue at the deadline instead of taking a connection only to
              // reset it.
              .setConnectTimeout(limitMillis);
      client()
          .request(options)
          .compose(
              req -> {
                if (!slot.compareAndSet(null, req)) {
                  // The time limit passed while this request waited for a connection: never send it
                  // late.
                  req.reset();
                  return Future.failedFuture(failures.lateConnection());
                }
                return request.body() != null ? req.send(request.body()) : req.send();
              })
          .compose(resp -> readBounded(resp, request.method()))
          .onComplete(
              ar -> {
                vertx.cancelTimer(timer);
                if (ar.succeeded()) {
                  result.tryComplete(ar.result());
                } else {
                  result.tryFail(
                      failures.classify(ar.cause(), slot.get() instanceof HttpClientRequest));
                }
              });
    } catch (RuntimeException e) {
      // Never leave the promise open: the request would go unanswered, uncounted and unaudited.
      vertx.cancelTimer(timer);
      result.tryFail(failures.classify(e, slot.get() instanceof HttpClientRequest));
    }
    return result
        .future()
        .andThen(
            ar -> {
              long nanos = System.nanoTime() - start;
              if (ar.succeeded()) {
                metrics.backend(nanos);
              }
              guard.finish(
                  pass, nanos, ar, ar.failed() && !ForwardFailure.of(ar.cause()).maybeSent());
            });
  }

  /**
   * The answer, read up to {@link #maxResponseBytes}: a larger declared length fails at once, a
   * longer body as soon as it passes the limit; either way the connection is reset, so the rest is
   * never read.
   */
  private Future<BackendReply> readBounded(HttpClientResponse resp, HttpMethod method) {
    boolean noBody =
        method == HttpMethod.HEAD || resp.statusCode() == 304 || resp.statusCode() == 204;
    String declared = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (!noBody && declared != null && declaredAbove(declared)) {
      resp.request().reset();
      return Future.failedFuture(tooLarge("declared " + declared.trim() + " bytes"));
    }
    Promise<Buffer> body = Promise.promise();
    Buffer buffer = Buffer.buffer();
    resp.handler(
        chunk -> {
          if (body.future().isComplete()) {
            return;
          }
          if (buffer.length() + chunk.length() > maxResponseBytes) {
            body.tryFail(tooLarge("sent more than that"));
            resp.request().reset();
            return;
          }
          buffer.appendBuffer(chunk);
        });
    resp.exceptionHandler(body::tryFail);
    resp.endHandler(v -> body.tryComplete(buffer));
    return body.future()
        .map(
            b ->
                new BackendReply(
                    resp.statusCode(),
                    Headers.forClient(
                        resp.headers(), method == HttpMethod.HEAD || resp.statusCode() == 304),
                    b));
  }

  private boolean declaredAbove(String declared) {
    try {
      return Long.parseLong(declared.trim()) > maxResponseBytes;
    } catch (NumberFormatException e) {
      return false; // the client codec refuses a malformed length itself
    }
  }

  /** The request was sent and answered: the order may have been taken. */
  private ForwardFailure tooLarge(String what) {
    return new ForwardFailure(
        Failure.RESPONSE_TOO_LARGE,
        "the order system's answer is larger than ORDERGATE_MAX_RESPONSE_BYTES ("
            + maxResponseBytes
            + " bytes; it "
            + what
            + "); the order may have been taken, ask the order system before sending it again",
        ForwardFailure.Delivery.MAYBE_SENT);
  }

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(client.close());
    clients.values().forEach(c -> closing.add(c.close()));
    return Future.join(closing).mapEmpty();
  }
}
