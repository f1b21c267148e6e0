package io.ordergate.forward;

import io.ordergate.config.ResilienceSettings;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.problem.Failure;
import io.ordergate.problem.GateException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends a request to the order system through one pooled HTTP client, inside the breakers, the fair
 * share, the bulkhead and the time limit of {@link BackendGuard}. Fails only with {@link
 * GateException}.
 */
public final class Forwarder {
  private static final Object TIMED_OUT = new Object();

  /** Cause of a time-out that struck before the request had a connection: not one byte was sent. */
  private static final Throwable NOT_SENT =
      new Exception("the request never had a connection", null, false, false) {};

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

  public Forwarder(
      Vertx vertx,
      URI backend,
      ResilienceSettings settings,
      BackendGuard guard,
      GateMetrics metrics) {
    this(vertx, backend, settings, guard, metrics, 1);
  }

  /** {@code eventLoops}: the connection limit is split evenly among them, at least one each. */
  public Forwarder(
      Vertx vertx,
      URI backend,
      ResilienceSettings settings,
      BackendGuard guard,
      GateMetrics metrics,
      int eventLoops) {
    this.vertx = vertx;
    this.guard = guard;
    this.metrics = metrics;
    BackendAddress address = BackendAddress.of(backend);
    this.ssl = address.ssl();
    this.host = address.host();
    this.port = address.port();
    this.basePath = address.basePath();
    this.timeoutMillis = guard.timeout().toMillis();
    this.clientOptions =
        new HttpClientOptions()
            .setKeepAlive(true)
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

  public Future<BackendReply> forward(ForwardRequest request) {
    return guard.admit(request.sourceId()).compose(pass -> send(request, pass));
  }

  private Future<BackendReply> send(ForwardRequest request, Pass pass) {
    long limitMillis = pass.remainingMillis(this.timeoutMillis);
    long start = System.nanoTime();
    Promise<BackendReply> result = Promise.promise();
    // The request once it may be sent, or TIMED_OUT once it may not. The client connection can run
    // on
    // another event loop than this timer, so "send or give up" is decided by one compare-and-set.
    AtomicReference<Object> slot = new AtomicReference<>();
    long timer =
        vertx.setTimer(
            limitMillis,
            id -> {
              if (result.future().isComplete()) {
                return;
              }
              Object sent = slot.getAndSet(TIMED_OUT); // from here on nothing more is sent
              result.tryFail(
                  sent == null
                      ? new GateException(
                          Failure.BACKEND_TIMEOUT,
                          "no connection to the order system within " + limitMillis + " ms",
                          NOT_SENT)
                      : new GateException(
                          Failure.BACKEND_TIMEOUT,
                          "the order system did not answer within " + limitMillis + " ms"));
              if (sent instanceof HttpClientRequest inFlight) {
                inFlight
                    .reset(); // after the 504 is decided: a reset fails the exchange with another
                // error
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
                  return Future.failedFuture(
                      new GateException(
                          Failure.BACKEND_TIMEOUT, "timed out waiting for a connection", NOT_SENT));
                }
                return request.body() != null ? req.send(request.body()) : req.send();
              })
          .compose(
              resp ->
                  resp.body()
                      .map(
                          body ->
                              new BackendReply(
                                  resp.statusCode(),
                                  Headers.forClient(
                                      resp.headers(),
                                      request.method() == HttpMethod.HEAD
                                          || resp.statusCode() == 304),
                                  body)))
          .onComplete(
              ar -> {
                vertx.cancelTimer(timer);
                if (ar.succeeded()) {
                  result.tryComplete(ar.result());
                } else {
                  result.tryFail(classify(ar.cause()));
                }
              });
    } catch (RuntimeException e) {
      // Never leave the promise open: the request would go unanswered, uncounted and unaudited.
      vertx.cancelTimer(timer);
      result.tryFail(classify(e));
    }
    return result
        .future()
        .andThen(
            ar -> {
              long nanos = System.nanoTime() - start;
              if (ar.succeeded()) {
                metrics.backend(nanos);
              }
              guard.finish(pass, nanos, ar, ar.failed() && failedBeforeSending(ar.cause()));
            });
  }

  private GateException classify(Throwable cause) {
    if (cause instanceof GateException g) {
      return g;
    }
    if (cause instanceof TimeoutException) {
      return new GateException(
          Failure.BACKEND_TIMEOUT,
          "no connection to the order system within " + timeoutMillis + " ms",
          cause);
    }
    if (isConnectFailure(cause)) {
      return new GateException(
          Failure.BACKEND_UNREACHABLE,
          "cannot connect to the order system at " + host + ":" + port + ": " + cause.getMessage(),
          cause);
    }
    if (cause instanceof HttpClosedException) {
      return new GateException(
          Failure.BACKEND_UNREACHABLE,
          "the order system closed the connection before answering",
          cause);
    }
    return new GateException(
        Failure.BACKEND_UNREACHABLE, "error talking to the order system: " + cause, cause);
  }

  /**
   * True when a failure of {@link #forward} happened before any byte of the request could reach the
   * order system (a breaker open, over the fair share, bulkhead full, no connection), so sending it
   * again cannot duplicate it. A time-out is such a failure only when it struck while the request
   * still waited for a connection; otherwise the request may have been sent.
   */
  public static boolean failedBeforeSending(Throwable failure) {
    if (!(failure instanceof GateException g)) {
      return false;
    }
    return g.failure() == Failure.BREAKER_OPEN
        || g.failure() == Failure.SOURCE_BREAKER_OPEN
        || g.failure() == Failure.SOURCE_OVER_SHARE
        || g.failure() == Failure.BULKHEAD_FULL
        || g.failure() == Failure.BACKEND_TIMEOUT && g.getCause() == NOT_SENT
        || g.failure() == Failure.BACKEND_UNREACHABLE
            && g.getCause() != null
            && isConnectFailure(g.getCause());
  }

  private static boolean isConnectFailure(Throwable cause) {
    return cause instanceof ConnectException
        || cause.getClass().getSimpleName().contains("Connect");
  }

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(client.close());
    clients.values().forEach(c -> closing.add(c.close()));
    return Future.join(closing).mapEmpty();
  }
}
