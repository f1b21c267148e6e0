package io.ordergate.traffic;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.ordergate.audit.AuditRecord;
import io.ordergate.audit.AuditWriter;
import io.ordergate.decision.DecisionTable;
import io.ordergate.decision.Decisions;
import io.ordergate.decision.SourceDecision;
import io.ordergate.fence.EnvironmentFence;
import io.ordergate.forward.BackendReply;
import io.ordergate.forward.ForwardRequest;
import io.ordergate.forward.Forwarder;
import io.ordergate.forward.Headers;
import io.ordergate.forward.OrderIds;
import io.ordergate.idempotency.Claim;
import io.ordergate.idempotency.IdempotencyStore;
import io.ordergate.idempotency.RequestFingerprint;
import io.ordergate.idempotency.StoredResponse;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.problem.Failure;
import io.ordergate.problem.GateException;
import io.ordergate.problem.Problem;
import io.ordergate.problem.Problems;
import io.ordergate.quarantine.HeldOrder;
import io.ordergate.quarantine.QuarantineStore;
import io.ordergate.shadow.Shadows;
import io.ordergate.source.Source;
import io.ordergate.source.SourceRegistry;
import io.ordergate.throttle.Throttles;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path (docs/architecture.md): identify the source, fence the environment, apply the
 * precomputed decision, forward, and record exactly one outcome per request. Everything before the
 * forward is in memory, so a rejected request costs a few microseconds.
 */
public final class TrafficHandler implements Handler<HttpServerRequest> {
  static final String FORWARDED = "forwarded";
  static final String QUARANTINED = "quarantined";
  static final String REPLAYED = "replayed";
  private static final Logger LOG = LoggerFactory.getLogger(TrafficHandler.class);
  private static final String ORDERS = "/orders";
  private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized(Headers.REQUEST_ID);

  private final SourceRegistry registry;
  private final EnvironmentFence fence;
  private final Decisions decisions;
  private final Forwarder forwarder;
  private final Throttles throttles;
  private final Shadows shadows;
  private final QuarantineStore quarantine;
  private final IdempotencyStore idempotency;
  private final AuditWriter audit;
  private final GateMetrics metrics;
  private final Problems problems;
  private final int maxBodyBytes;
  private final Clock clock;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  public TrafficHandler(
      SourceRegistry registry,
      EnvironmentFence fence,
      Decisions decisions,
      Throttles throttles,
      QuarantineStore quarantine,
      IdempotencyStore idempotency,
      Forwarder forwarder,
      AuditWriter audit,
      GateMetrics metrics,
      Problems problems,
      int maxBodyBytes,
      Clock clock,
      Shadows shadows) {
    this.registry = registry;
    this.shadows = shadows;
    this.fence = fence;
    this.decisions = decisions;
    this.throttles = throttles;
    this.quarantine = quarantine;
    this.idempotency = idempotency;
    this.forwarder = forwarder;
    this.audit = audit;
    this.metrics = metrics;
    this.problems = problems;
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
  }

  /** Requests received and not yet answered. */
  public int inFlight() {
    return inFlight.get();
  }

  /** From now on every response closes its connection, so clients move to other replicas. */
  public void startDraining() {
    draining = true;
  }

  @Override
  public void handle(HttpServerRequest req) {
    inFlight.incrementAndGet();
    if (draining) {
      req.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    Exchange ex =
        new Exchange(
            req,
            RequestIds.accept(req.getHeader(REQUEST_ID)),
            System.nanoTime(),
            micros(clock.instant()));
    DecisionTable table = decisions.current(); // one table for the whole request
    ex.revision = table.revision();
    String framing = Framing.violation(req);
    if (framing != null) {
      req.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      reject(ex, Failure.MALFORMED_REQUEST, framing);
      return;
    }
    String path = req.path() == null ? "" : req.path();
    if (!path.equals(ORDERS) && !path.startsWith(ORDERS + "/")) {
      reject(ex, Failure.NOT_FOUND, "Order Gate serves /orders only");
      return;
    }
    String badPath = Paths.violation(path);
    if (badPath != null) {
      reject(ex, Failure.BAD_PATH, badPath);
      return;
    }
    String key = credential(req);
    if (key == null) {
      reject(
          ex,
          Failure.MISSING_CREDENTIAL,
          "send the source's API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'");
      return;
    }
    Source source = registry.byKey(key);
    if (source == null) {
      reject(
          ex,
          Failure.UNKNOWN_CREDENTIAL,
          "the API key does not belong to any registered order source");
      return;
    }
    ex.source = source.id();
    String violation = fence.violation(req.getHeader(EnvironmentFence.HEADER), source);
    if (violation != null) {
      reject(ex, Failure.WRONG_ENVIRONMENT, violation);
      return;
    }
    HttpMethod method = req.method();
    boolean write = isWrite(method);
    if (!write && !isRead(method)) {
      reject(ex, Failure.METHOD_NOT_ALLOWED, "method " + method.name() + " is not proxied");
      return;
    }
    if (declaredTooLarge(req)) {
      req.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      reject(
          ex, Failure.BODY_TOO_LARGE, "the body exceeds the limit of " + maxBodyBytes + " bytes");
      return;
    }
    if (write) {
      SourceDecision decision = table.forSource(source.id());
      switch (decision.verdict()) {
        case REJECT -> {
          reject(ex, Failure.SOURCE_DISABLED, decision.reason());
          return;
        }
        case THROTTLE -> {
          if (!throttles.tryAcquire(source.id(), decision.ratePerSecond())) {
            reject(
                ex,
                Failure.SOURCE_THROTTLED,
                decision.reason() + "; this request was over the limit");
            return;
          }
        }
        case QUARANTINE -> ex.hold = true;
        case ACCEPT -> {}
      }
      if (decision.shadow() != null) {
        ex.shadow = shadows.observe(source.id(), decision.shadow());
      }
    }
    readBodyThenForward(ex);
  }

  /**
   * Requests Netty could not parse (header or request line too long, broken framing): answered with
   * a problem document and counted like any other, then the connection is closed.
   */
  public void handleInvalid(HttpServerRequest req) {
    inFlight.incrementAndGet();
    Exchange ex =
        new Exchange(req, RequestIds.generate(), System.nanoTime(), micros(clock.instant()));
    Throwable cause = req.decoderResult() == null ? null : req.decoderResult().cause();
    Failure failure =
        cause instanceof TooLongHttpLineException
            ? Failure.URI_TOO_LONG
            : cause instanceof TooLongHttpHeaderException
                ? Failure.HEADERS_TOO_LARGE
                : Failure.MALFORMED_REQUEST;
    req.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    reject(
        ex,
        failure,
        cause == null
            ? "the request could not be parsed"
            : "the request could not be parsed: " + cause.getMessage());
  }

  private void readBodyThenForward(Exchange ex) {
    HttpServerRequest req = ex.request;
    if (req.isEnded()) {
      dispatch(ex, Buffer.buffer());
      return;
    }
    if ("100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
      req.response().writeContinue();
    }
    Buffer body = Buffer.buffer();
    req.handler(
        chunk -> {
          if (ex.done) {
            return;
          }
          if (body.length() + chunk.length() > maxBodyBytes) {
            req.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            reject(
                ex,
                Failure.BODY_TOO_LARGE,
                "the body exceeds the limit of " + maxBodyBytes + " bytes");
            return;
          }
          body.appendBuffer(chunk);
        });
    req.exceptionHandler(
        e -> {
          if (!ex.done && !ex.bodyComplete) {
            if (e instanceof DecoderException || req.decoderResult().isFailure()) {
              req.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
              reject(
                  ex, Failure.MALFORMED_REQUEST, "the body could not be parsed: " + e.getMessage());
            } else {
              reject(
                  ex,
                  Failure.CLIENT_CLOSED,
                  "the client went away while sending the body: " + e.getMessage());
            }
          }
        });
    req.endHandler(
        v -> {
          ex.bodyComplete = true;
          if (!ex.done) {
            dispatch(ex, body);
          }
        });
  }

  private void dispatch(Exchange ex, Buffer body) {
    ForwardRequest fr = forwardRequest(ex, body);
    String key = ex.request.getHeader(RequestFingerprint.HEADER);
    if (key == null || !isWrite(fr.method())) {
      execute(ex, fr);
      return;
    }
    String bad = RequestFingerprint.violation(key);
    if (bad != null) {
      reject(ex, Failure.BAD_IDEMPOTENCY_KEY, bad);
      return;
    }
    byte[] fingerprint = RequestFingerprint.of(fr.method().name(), fr.pathAndQuery(), fr.body());
    idempotency
        .claim(ex.source, key, fingerprint, ex.requestId)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                reject(
                    ex,
                    Failure.IDEMPOTENCY_UNAVAILABLE,
                    "the Idempotency-Key could not be checked, so the request was not processed; "
                        + "send it again later ("
                        + ar.cause().getMessage()
                        + ")");
                return;
              }
              Claim claim = ar.result();
              if (claim instanceof Claim.Granted) {
                ex.idempotencyKey = key;
                execute(ex, fr);
              } else if (claim instanceof Claim.Replay r) {
                replay(ex, r.response());
              } else if (claim instanceof Claim.InFlight) {
                reject(
                    ex,
                    Failure.IDEMPOTENCY_IN_FLIGHT,
                    "a request with Idempotency-Key '"
                        + key
                        + "' from this source is still being processed; retry shortly");
              } else {
                reject(
                    ex,
                    Failure.IDEMPOTENCY_KEY_REUSED,
                    "Idempotency-Key '"
                        + key
                        + "' was already used for a different request (method, path or body differ)");
              }
            });
  }

  private void execute(Exchange ex, ForwardRequest fr) {
    if (ex.hold) {
      hold(ex, fr);
    } else {
      forward(ex, fr);
    }
  }

  private ForwardRequest forwardRequest(Exchange ex, Buffer body) {
    HttpServerRequest req = ex.request;
    // A write always carries a length (0 if empty); a read without a body carries none.
    Buffer payload = body.length() > 0 || isWrite(req.method()) ? body : null;
    String query = req.query();
    String pathAndQuery = query == null ? req.path() : req.path() + "?" + query;
    return new ForwardRequest(
        req.method(),
        pathAndQuery,
        req.headers(),
        payload,
        ex.source,
        ex.requestId,
        req.remoteAddress() == null ? null : req.remoteAddress().hostAddress(),
        req.authority() == null ? null : req.authority().toString());
  }

  /**
   * Quarantine: 202 only once PostgreSQL has the order; anything else is a 503 the client retries.
   */
  private void hold(Exchange ex, ForwardRequest fr) {
    HeldOrder order =
        new HeldOrder(
            ex.source,
            ex.requestId,
            fr.method().name(),
            fr.pathAndQuery(),
            Headers.forBackend(fr),
            fr.body() == null ? Buffer.buffer() : fr.body(),
            Instant.ofEpochSecond(
                ex.receivedMicros / 1_000_000, ex.receivedMicros % 1_000_000 * 1_000));
    quarantine
        .hold(order)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                reject(
                    ex,
                    Failure.QUARANTINE_UNAVAILABLE,
                    "the order was not stored, so it is neither held nor forwarded; "
                        + "send it again later ("
                        + ar.cause().getMessage()
                        + ")");
                return;
              }
              metrics.quarantineHeld(ex.source);
              MultiMap headers =
                  MultiMap.caseInsensitiveMultiMap()
                      .add(HttpHeaders.CONTENT_TYPE, "application/json");
              Buffer body =
                  new JsonObject()
                      .put("status", "quarantined")
                      .put("quarantineId", ar.result())
                      .put("source", ex.source)
                      .put("requestId", ex.requestId)
                      .toBuffer();
              answer(ex, new BackendReply(202, headers, body), QUARANTINED, null);
            });
  }

  private void forward(Exchange ex, ForwardRequest fr) {
    forwarder
        .forward(fr)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                relay(ex, ar.result());
              } else {
                GateException failure = GateException.of(ar.cause());
                ex.mayHaveReachedBackend = !Forwarder.failedBeforeSending(ar.cause());
                reject(ex, failure.failure(), failure.getMessage());
              }
            });
  }

  private void relay(Exchange ex, BackendReply reply) {
    answer(ex, reply, FORWARDED, OrderIds.from(reply));
  }

  /**
   * Sends a final answer. Under an Idempotency-Key it is stored first, so a client that retries as
   * soon as it has the answer already gets the replay.
   */
  private void answer(Exchange ex, BackendReply reply, String decision, String orderId) {
    ex.done = true;
    if (ex.idempotencyKey == null) {
      send(ex, reply, false);
      finish(ex, decision, reply.status(), orderId);
      return;
    }
    idempotency
        .complete(
            ex.source,
            ex.idempotencyKey,
            ex.requestId,
            new StoredResponse(reply.status(), reply.headers(), reply.body()))
        .onComplete(
            ar -> {
              if (ar.failed() || !ar.result()) {
                LOG.warn(
                    "Response to request {} (source {}, Idempotency-Key {}) not stored for repeats: {}",
                    ex.requestId,
                    ex.source,
                    ex.idempotencyKey,
                    ar.failed() ? ar.cause().getMessage() : "the key was taken over");
              }
              send(ex, reply, false);
              finish(ex, decision, reply.status(), orderId);
            });
  }

  private void replay(Exchange ex, StoredResponse stored) {
    ex.done = true;
    send(ex, new BackendReply(stored.status(), stored.headers(), stored.body()), true);
    finish(ex, REPLAYED, stored.status(), null);
  }

  private static void send(Exchange ex, BackendReply reply, boolean replayed) {
    HttpServerResponse resp = ex.request.response();
    if (!resp.ended() && !resp.closed()) {
      resp.setStatusCode(reply.status());
      resp.headers()
          .addAll(reply.headers()); // addAll: keeps a Connection: close set while draining
      resp.putHeader(REQUEST_ID, ex.requestId);
      if (replayed) {
        resp.putHeader(RequestFingerprint.REPLAYED_HEADER, "true");
      }
      resp.end(reply.body());
    }
  }

  private void reject(Exchange ex, Failure failure, String detail) {
    ex.done = true;
    Problem problem = new Problem(failure, detail, ex.source, ex.requestId);
    if (ex.idempotencyKey != null) {
      String key = ex.idempotencyKey;
      ex.idempotencyKey = null;
      if (ex.mayHaveReachedBackend) {
        // A time-out or a broken exchange: the order system may have taken the order, so this
        // answer
        // stays under the key; releasing it would let the client's retry place the order a second
        // time.
        MultiMap headers =
            MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE);
        idempotency
            .complete(
                ex.source,
                key,
                ex.requestId,
                new StoredResponse(failure.status(), headers, problem.toBuffer()))
            .onFailure(
                e ->
                    LOG.warn(
                        "Idempotency-Key {} of source {} stays blocked until its lease ends: {}",
                        key,
                        ex.source,
                        e.getMessage()));
      } else {
        // The gateway failed this request before it left: the client's retry must be processed
        // anew.
        idempotency
            .release(ex.source, key, ex.requestId)
            .onFailure(
                e ->
                    LOG.warn(
                        "Idempotency-Key {} of source {} stays blocked until its lease ends: {}",
                        key,
                        ex.source,
                        e.getMessage()));
      }
    }
    HttpServerResponse resp = ex.request.response();
    if (!resp.closed()) {
      resp.putHeader(REQUEST_ID, ex.requestId);
    }
    problems.send(resp, problem);
    finish(ex, failure.slug(), failure.status(), null);
  }

  /** Counts and audits the request; runs once per request whatever happens around it. */
  private void finish(Exchange ex, String decision, int status, String orderId) {
    if (ex.finished) {
      return;
    }
    ex.finished = true;
    long nanos = System.nanoTime() - ex.startNanos;
    long completedMicros = ex.receivedMicros + nanos / 1_000;
    metrics.request(ex.source, decision, nanos, completedMicros / 1_000);
    String path = ex.request.path() == null ? "" : ex.request.path();
    audit.record(
        new AuditRecord(
            ex.requestId,
            ex.source,
            String.valueOf(ex.request.method()),
            path.length() > 2048 ? path.substring(0, 2048) : path,
            decision,
            status,
            orderId,
            ex.revision,
            ex.receivedMicros,
            completedMicros,
            ex.shadow));
    inFlight
        .decrementAndGet(); // last: the drain may flush the audit buffer as soon as this reaches 0
  }

  private boolean declaredTooLarge(HttpServerRequest req) {
    String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return false;
    }
    try {
      return Long.parseLong(length.trim()) > maxBodyBytes;
    } catch (NumberFormatException e) {
      return false; // Netty already refuses malformed lengths; the streaming check still applies
    }
  }

  private static String credential(HttpServerRequest req) {
    String auth = req.getHeader(HttpHeaders.AUTHORIZATION);
    if (auth != null && auth.length() > 7 && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String key = auth.substring(7).trim();
      return key.isEmpty() || key.length() > 512 ? null : key;
    }
    String key = req.getHeader(Headers.API_KEY);
    return key == null || key.isBlank() || key.length() > 512 ? null : key.trim();
  }

  private static boolean isWrite(HttpMethod m) {
    return m == HttpMethod.POST
        || m == HttpMethod.PUT
        || m == HttpMethod.PATCH
        || m == HttpMethod.DELETE;
  }

  private static boolean isRead(HttpMethod m) {
    return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS;
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
  }

  /** The state of one request as it moves through the path. */
  private static final class Exchange {
    final HttpServerRequest request;
    final String requestId;
    final long startNanos;
    final long receivedMicros;
    String source;
    long revision;
    boolean hold;
    String shadow;
    String idempotencyKey;
    boolean mayHaveReachedBackend;
    boolean done;
    boolean bodyComplete;
    boolean finished;

    Exchange(HttpServerRequest request, String requestId, long startNanos, long receivedMicros) {
      this.request = request;
      this.requestId = requestId;
      this.startNanos = startNanos;
      this.receivedMicros = receivedMicros;
    }
  }
}
