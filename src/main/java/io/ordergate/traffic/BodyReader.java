package io.ordergate.traffic;

import io.ordergate.problem.Failure;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Duration;

/**
 * Reads an admitted request's body within three bounds: the size limit ({@code
 * ORDERGATE_MAX_BODY_BYTES}, 413), the replica's budget for bodies in progress ({@code
 * ORDERGATE_BODY_BUFFER_BYTES}, 503 with {@code Retry-After}), and the request deadline ({@code
 * ORDERGATE_REQUEST_TIMEOUT_MS} from the complete head to the complete body, total, not reset by
 * each byte; 408). A body too large, over budget, late, unparsable or cut off by the client refuses
 * the request; a complete one is handed on.
 */
final class BodyReader {
  private final BodyBudget budget;
  private final long deadlineMillis;

  BodyReader(BodyBudget budget, Duration requestTimeout) {
    this.budget = budget;
    this.deadlineMillis = requestTimeout.toMillis();
  }

  void read(Exchange ex, Admission admission, Handler<Buffer> then) {
    HttpServerRequest req = ex.request();
    if (req.isEnded()) {
      then.handle(Buffer.buffer());
      return;
    }
    // The declared length is taken from the budget before a byte is read: a client that declares
    // a large body and sends it slowly holds its share from the start, and when the budget is
    // spent the next one is refused at once instead of after its bytes have filled the heap.
    long[] reserved = {declared(req)};
    if (!budget.reserve(reserved[0])) {
      refuseAndClose(ex, bufferFull(ex.source()));
      return;
    }
    ex.onFinish(() -> budget.release(reserved[0]));
    if ("100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
      req.response().writeContinue();
    }
    Vertx vertx = Vertx.currentContext().owner();
    long timer =
        vertx.setTimer(
            deadlineMillis,
            id -> {
              if (!ex.decided()) {
                refuseAndClose(
                    ex,
                    Refusal.closing(
                        Failure.REQUEST_TIMEOUT,
                        "the body did not arrive within "
                            + deadlineMillis
                            + " ms of the request's headers",
                        ex.source()));
              }
            });
    int max = admission.maxBodyBytes();
    Buffer body = Buffer.buffer();
    boolean[] complete = {false};
    req.handler(
        chunk -> {
          if (ex.decided()) {
            return;
          }
          int length = body.length() + chunk.length();
          if (length > max) {
            vertx.cancelTimer(timer);
            ex.refuse(admission.bodyTooLarge(ex.source()));
            return;
          }
          if (length > reserved[0]) {
            if (!budget.reserve(length - reserved[0])) {
              vertx.cancelTimer(timer);
              refuseAndClose(ex, bufferFull(ex.source()));
              return;
            }
            reserved[0] = length;
          }
          body.appendBuffer(chunk);
        });
    req.exceptionHandler(
        e -> {
          vertx.cancelTimer(timer);
          if (ex.decided() || complete[0]) {
            return;
          }
          // A closed or reset connection is the client going away; anything else the decoder
          // raised while reading the body (a bad chunk size, a broken chunk) is a malformed
          // request, answered 400 before the connection closes.
          if (!(e instanceof HttpClosedException) && !(e instanceof IOException)) {
            ex.closeConnection();
            ex.refuse(Failure.MALFORMED_REQUEST, "the body could not be parsed: " + e.getMessage());
          } else {
            ex.refuse(
                Failure.CLIENT_CLOSED,
                "the client went away while sending the body: " + e.getMessage());
          }
        });
    req.endHandler(
        v -> {
          vertx.cancelTimer(timer);
          complete[0] = true;
          if (!ex.decided()) {
            then.handle(body);
          }
        });
  }

  /**
   * Answers, then closes the connection at once instead of reading the rest of a body that may
   * never come: the answer goes out first (the connection guard flushes before it closes).
   */
  private static void refuseAndClose(Exchange ex, Refusal refusal) {
    ex.refuse(refusal);
    ex.request().connection().close();
  }

  private Refusal bufferFull(String source) {
    return Refusal.closing(
        Failure.BODY_BUFFER_FULL,
        "this gateway is holding "
            + budget.limit()
            + " bytes of request bodies in progress (ORDERGATE_BODY_BUFFER_BYTES); send it again"
            + " shortly",
        source);
  }

  /** The declared body length, or 0 (chunked, absent or malformed: chunks are counted as read). */
  private static long declared(HttpServerRequest req) {
    String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(length.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
