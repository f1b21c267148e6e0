package io.ordergate.traffic;

import io.ordergate.audit.AuditWriter;
import io.ordergate.config.LimitSettings;
import io.ordergate.decision.DecisionTable;
import io.ordergate.decision.Decisions;
import io.ordergate.decision.Shadow;
import io.ordergate.fence.EnvironmentFence;
import io.ordergate.forward.BackendReply;
import io.ordergate.forward.ForwardFailure;
import io.ordergate.forward.ForwardRequest;
import io.ordergate.forward.Forwarder;
import io.ordergate.idempotency.Idempotency;
import io.ordergate.idempotency.KeyCheck;
import io.ordergate.idempotency.RequestFingerprint;
import io.ordergate.idempotency.StoredResponse;
import io.ordergate.idempotency.Ticket;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.problem.Failure;
import io.ordergate.problem.GateException;
import io.ordergate.problem.Problems;
import io.ordergate.quarantine.QuarantineStore;
import io.ordergate.shadow.Shadows;
import io.ordergate.source.SourceRegistry;
import io.ordergate.throttle.Throttles;
import io.ordergate.traffic.Admission.Admitted;
import io.ordergate.traffic.Dispatch.Delivered;
import io.ordergate.trip.WriteCounts;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Instant;

/**
 * The request path of the gateway (docs/architecture.md), as steps each owned elsewhere: {@link
 * Admission} (may it pass?), {@link BodyReader}, {@link Idempotency} (the key protocol), {@link
 * Dispatch} (order system or quarantine) and {@link Outcome} (answered, counted and audited once).
 * Everything before the dispatch is in memory, so a refused request costs a few microseconds.
 */
public final class TrafficHandler implements Handler<HttpServerRequest> {
  /** The collaborators of the request path, built once by the gateway. */
  public record Parts(
      SourceRegistry registry,
      EnvironmentFence fence,
      Decisions decisions,
      Throttles throttles,
      QuarantineStore quarantine,
      Idempotency idempotency,
      Forwarder forwarder,
      AuditWriter audit,
      GateMetrics metrics,
      Problems problems,
      int maxBodyBytes,
      LimitSettings limits,
      Clock clock,
      Shadows shadows,
      WriteCounts writes,
      int maxPendingHolds,
      int holdRatePerSecond) {}

  /** A write the audit spool has no room for is refused, never forwarded unrecorded. */
  private static final Refusal AUDIT_FULL =
      Refusal.of(
          Failure.AUDIT_UNAVAILABLE,
          "the gateway cannot record this write (its audit spool is full), so it was not sent;"
              + " send it again later");

  private final Admission admission;
  private final Admission.RateLimits rateLimits;
  private final BodyReader bodies;
  private final Decisions decisions;
  private final Idempotency idempotency;
  private final Dispatch dispatch;
  private final Ledger ledger;
  private final AuditWriter audit;
  private final Problems problems;
  private final Clock clock;
  private final Shadows shadows;
  private final WriteCounts writes;
  private volatile boolean draining;

  public TrafficHandler(Parts parts) {
    AuthFailures authFailures =
        new AuthFailures(parts.limits().authFailuresPerMinute(), System::nanoTime);
    this.rateLimits = parts.throttles()::tryAcquire;
    this.admission =
        new Admission(
            parts.registry()::byKey,
            parts.fence(),
            rateLimits,
            parts.maxBodyBytes(),
            authFailures::allow,
            new HoldRate(parts.holdRatePerSecond(), System::nanoTime));
    BodyBudget budget = new BodyBudget(parts.limits().bodyBufferBytes());
    this.bodies = new BodyReader(budget, parts.limits().requestTimeout());
    parts
        .metrics()
        .gauge(
            "ordergate.body.buffer.bytes",
            "Request-body bytes held by requests in progress (ORDERGATE_BODY_BUFFER_BYTES bounds it)",
            budget::used);
    parts
        .metrics()
        .gauge(
            "ordergate.auth.failures.addresses",
            "Client addresses with recent failed authentications being tracked",
            authFailures::tracked);
    this.decisions = parts.decisions();
    this.idempotency = parts.idempotency();
    this.dispatch =
        new Dispatch(
            parts.forwarder()::forward,
            new HoldLimit(parts.quarantine()::hold, parts.maxPendingHolds()),
            parts.metrics()::quarantineHeld);
    this.ledger = Ledger.of(parts.metrics(), parts.audit());
    this.audit = parts.audit();
    this.problems = parts.problems();
    this.clock = parts.clock();
    this.shadows = parts.shadows();
    this.writes = parts.writes();
  }

  /** Requests received and not yet answered. */
  public int inFlight() {
    return ledger.inFlight();
  }

  /** From now on every response closes its connection, so clients move to other replicas. */
  public void startDraining() {
    draining = true;
  }

  @Override
  public void handle(HttpServerRequest req) {
    ledger.open();
    if (draining) {
      req.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    DecisionTable table = decisions.current(); // one table for the whole request
    Exchange ex = exchange(req, RequestIds.accept(req.getHeader(Exchange.REQUEST_ID)), table);
    Admission.Result result = admission.check(ex, table);
    if (result instanceof Admitted admitted) {
      if (admitted.write() && !audit.canAccept()) {
        ex.refuse(AUDIT_FULL.withSource(admitted.source().id()));
        return;
      }
      ex.source(admitted.source().id());
      if (admitted.write()) {
        writes.count(admitted.source().id());
        rehearse(ex, table.forSource(admitted.source().id()).shadow());
      }
      bodies.read(ex, admission, body -> afterBody(ex, admitted.write(), admitted.hold(), body));
    } else {
      ex.refuse((Refusal) result);
    }
  }

  /** Under a {@code shadow} variant: counts what its action would have done, for the audit too. */
  private void rehearse(Exchange ex, Shadow shadow) {
    if (shadow != null) {
      ex.shadow(shadows.observe(ex.source(), shadow));
    }
  }

  /**
   * Requests Netty could not parse (header or request line too long, broken framing): answered with
   * a problem document and counted like any other, then the connection is closed.
   */
  public void handleInvalid(HttpServerRequest req) {
    ledger.open();
    Exchange ex = exchange(req, RequestIds.generate(), null);
    ex.refuse(
        Admission.unparsable(req.decoderResult() == null ? null : req.decoderResult().cause()));
  }

  /** Under an Idempotency-Key, a write goes through the key protocol first. */
  private void afterBody(Exchange ex, boolean write, boolean hold, Buffer body) {
    ForwardRequest request = ex.forwardRequest(body, write);
    String key = write ? ex.header(RequestFingerprint.HEADER) : null;
    if (key == null) {
      dispatch(ex, write, hold, request, Ticket.NONE);
      return;
    }
    idempotency
        .check(
            ex.source(),
            key,
            ex.requestId(),
            request.method().name(),
            request.pathAndQuery(),
            request.body())
        .onSuccess(
            check -> {
              if (check instanceof KeyCheck.Proceed proceed) {
                dispatch(ex, write, hold, request, proceed.ticket());
              } else if (check instanceof KeyCheck.Replay replay) {
                StoredResponse stored = replay.response();
                ex.respond(
                    new BackendReply(stored.status(), stored.headers(), stored.body()),
                    Outcome.REPLAYED,
                    null,
                    true);
              } else {
                KeyCheck.Refused refused = (KeyCheck.Refused) check;
                ex.refuse(refused.failure(), refused.detail());
              }
            });
  }

  /** A write goes out under the decision in force now, not the one its headers met. */
  private void dispatch(
      Exchange ex, boolean write, boolean admittedHold, ForwardRequest request, Ticket ticket) {
    boolean hold = admittedHold;
    if (write) {
      DecisionTable current = decisions.current();
      Recheck.Verdict now =
          Recheck.at(current, ex.source(), hold, ex.revision(), rateLimits, admission.holdRate());
      ex.judgedBy(current);
      if (now.refusal() != null) {
        Refusal refusal = now.refusal();
        if (ticket.holdsKey()) { // not sent: the client's retry must be processed anew
          ticket.failed(refusal.failure(), ex.problem(refusal.failure(), refusal.detail()), false);
        }
        ex.refuse(refusal);
        return;
      }
      hold = now.hold();
    }
    (hold ? dispatch.hold(request, ex.receivedAt()) : dispatch.forward(request))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                answer(ex, ar.result(), ticket);
              } else {
                fail(ex, GateException.of(ar.cause()), ticket);
              }
            });
  }

  /** Under a key the answer is stored before it is sent (see {@link Ticket#answer}). */
  private static void answer(Exchange ex, Delivered delivered, Ticket ticket) {
    BackendReply reply = delivered.reply();
    if (!ticket.holdsKey()) {
      ex.respond(reply, delivered.decision(), delivered.orderId(), false);
      return;
    }
    ticket
        .answer(reply.status(), reply.headers(), reply.body())
        .onComplete(v -> ex.respond(reply, delivered.decision(), delivered.orderId(), false));
  }

  private static void fail(Exchange ex, GateException failure, Ticket ticket) {
    if (ticket.holdsKey()) {
      boolean maybeSent = failure instanceof ForwardFailure f && f.maybeSent();
      ticket.failed(
          failure.failure(), ex.problem(failure.failure(), failure.getMessage()), maybeSent);
    }
    ex.refuse(failure.failure(), failure.getMessage());
  }

  private Exchange exchange(HttpServerRequest req, String requestId, DecisionTable table) {
    Instant now = clock.instant();
    long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    Exchange ex =
        new Exchange(
            req, requestId, micros, table == null ? 0 : table.revision(), ledger, problems);
    if (table != null) {
      ex.judgedBy(table);
    }
    return ex;
  }
}
