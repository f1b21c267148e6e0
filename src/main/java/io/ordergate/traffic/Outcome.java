package io.ordergate.traffic;

import io.ordergate.audit.AuditRecord;
import io.ordergate.decision.DecisionTable;
import io.ordergate.decision.Overrule;
import io.ordergate.forward.BackendReply;
import io.ordergate.problem.Failure;
import io.ordergate.problem.Problem;
import io.vertx.core.buffer.Buffer;

/**
 * The one outcome of a request: answered (or refused) once, counted once, audited once, whatever
 * happens around it (a client that went away, a late error). Subclasses say how an answer reaches
 * the client ({@link Exchange}: the HTTP response).
 */
abstract class Outcome {
  static final String FORWARDED = "forwarded";
  static final String QUARANTINED = "quarantined";
  static final String REPLAYED = "replayed";
  private static final int MAX_AUDITED_PATH = 2048;

  private final Ledger ledger;
  private final String requestId;
  private final long startNanos;
  private final long receivedMicros;
  private long revision;
  private DecisionTable judgedBy; // null: judged by no table (an unparsable request)
  private String source;
  private String shadow;
  private boolean decided;
  private Runnable onFinish;

  /** {@code revision}: of the decision table the request was judged by. */
  Outcome(Ledger ledger, String requestId, long receivedMicros, long revision) {
    this.ledger = ledger;
    this.requestId = requestId;
    this.startNanos = System.nanoTime();
    this.receivedMicros = receivedMicros;
    this.revision = revision;
  }

  final String requestId() {
    return requestId;
  }

  final long receivedMicros() {
    return receivedMicros;
  }

  final String source() {
    return source;
  }

  /**
   * The decision table the request is judged by: at admission, then for a write the one in force at
   * dispatch. Its revision and the intervention in force for the source go on the audit row.
   */
  final void judgedBy(DecisionTable table) {
    this.judgedBy = table;
    this.revision = table.revision();
  }

  final long revision() {
    return revision;
  }

  /** Runs once the outcome is recorded (gives back what the request held, such as its budget). */
  final void onFinish(Runnable action) {
    this.onFinish = action;
  }

  /** The source, once the credential named it. */
  final void source(String id) {
    this.source = id;
  }

  /** What the source's shadow would have done to this request, recorded on its audit row. */
  final void shadow(String wouldDecision) {
    this.shadow = wouldDecision;
  }

  /**
   * True once the answer is chosen: nothing else may answer this request, so it is also counted and
   * audited once.
   */
  final boolean decided() {
    return decided;
  }

  /** Sends the answer of the order system, of the quarantine or of a replay. */
  final void respond(BackendReply reply, String decision, String orderId, boolean replayed) {
    if (decided) {
      return;
    }
    decided = true;
    if (open()) {
      write(reply, replayed);
    }
    finish(decision, reply.status(), orderId);
  }

  /** The one place a refusal becomes a problem response. */
  final void refuse(Refusal refusal) {
    if (refusal.source() != null) {
      source = refusal.source();
    }
    if (refusal.closeConnection()) {
      closeConnection();
    }
    refuse(refusal.failure(), refusal.detail());
  }

  final void refuse(Failure failure, String detail) {
    if (decided) {
      return;
    }
    decided = true;
    if (open()) {
      writeProblem(failure, problem(failure, detail));
    }
    finish(failure.slug(), failure.status(), null);
  }

  /** The problem document this request gets for {@code failure}. */
  final Buffer problem(Failure failure, String detail) {
    return Problem.encode(failure, detail, source, requestId);
  }

  private void finish(String decision, int status, String orderId) {
    long nanos = System.nanoTime() - startNanos;
    long completedMicros = receivedMicros + nanos / 1_000;
    ledger.count(source, decision, nanos, completedMicros / 1_000);
    String path = path();
    ledger.audit(
        new AuditRecord(
            requestId,
            source,
            auditedMethod(),
            path.length() > MAX_AUDITED_PATH ? path.substring(0, MAX_AUDITED_PATH) : path,
            decision,
            status,
            orderId,
            revision,
            receivedMicros,
            completedMicros,
            shadow,
            interventionId()));
    if (onFinish != null) {
      onFinish.run();
    }
    ledger.close();
  }

  /** Who decided for the source instead of Unleash: an intervention's id, else 0. */
  private long interventionId() {
    if (judgedBy == null || source == null) {
      return 0;
    }
    Overrule o = judgedBy.forSource(source).overrule();
    return o == null ? 0 : o.interventionId();
  }

  /** Whether the client can still be answered (it may have gone away). */
  abstract boolean open();

  abstract void write(BackendReply reply, boolean replayed);

  abstract void writeProblem(Failure failure, Buffer document);

  /** The answer will close the connection. */
  abstract void closeConnection();

  /** As audited. */
  abstract String auditedMethod();

  /** The raw path, never null. */
  abstract String path();
}
