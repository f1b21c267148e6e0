package io.ordergate.quarantine;

import io.ordergate.forward.BackendReply;
import io.ordergate.forward.ForwardFailure;
import io.ordergate.forward.OrderIds;
import java.time.Instant;

/**
 * What becomes of a claimed order once its forward ended, decided from the forward's result alone:
 * released with the backend's answer; back to its previous state when it provably never left the
 * gateway (the release stops there); or in_doubt when it may have been sent, never to be sent again
 * by itself.
 *
 * @param state the row's new state
 * @param reason the release's reason, recorded with a sent order; null for one not sent
 * @param answeredAt null for one not sent
 * @param status the backend's status; for in_doubt the status the gateway's failure maps to
 * @param note why it was not released, as stored in the row, or null
 * @param detail the forward's failure, or null
 */
record Settlement(
    Kind kind,
    String state,
    String reason,
    Instant answeredAt,
    Integer status,
    String orderId,
    String note,
    String detail) {
  enum Kind {
    RELEASED,
    NOT_SENT,
    IN_DOUBT
  }

  /** {@code failure}: null when the backend answered with {@code reply}. */
  static Settlement of(
      Claimed order, BackendReply reply, Throwable failure, String reason, Instant answeredAt) {
    if (failure == null) {
      return new Settlement(
          Kind.RELEASED,
          QuarantineStore.RELEASED,
          reason,
          answeredAt,
          reply.status(),
          OrderIds.from(reply),
          null,
          null);
    }
    ForwardFailure f = ForwardFailure.of(failure);
    if (!f.maybeSent()) {
      return new Settlement(
          Kind.NOT_SENT,
          order.previousState(),
          null,
          null,
          null,
          null,
          "not sent: " + f.getMessage(),
          f.getMessage());
    }
    return new Settlement(
        Kind.IN_DOUBT,
        QuarantineStore.IN_DOUBT,
        reason,
        answeredAt,
        f.failure().status(),
        null,
        f.failure().slug() + ": " + f.getMessage(),
        f.getMessage());
  }

  /** The status stored in the row: none for an order that did not come back with an answer. */
  Integer storedStatus() {
    return kind == Kind.RELEASED ? status : null;
  }
}
