package io.ordergate.forward;

import io.ordergate.problem.Failure;
import io.ordergate.problem.GateException;

/**
 * A forward that did not bring back an answer, with the one fact its callers act on: whether the
 * order system may have received the request. Not sent: sending it again cannot place the order
 * twice (the idempotency key is given back, a held order stays held). Maybe sent: it may have been
 * taken, so the answer stands (the key keeps it, a released order is "in doubt").
 */
public final class ForwardFailure extends GateException {
  /** How far the request got before the forward failed. */
  public enum Delivery {
    /** No byte left the gateway: breaker open, bulkhead full, no connection in time. */
    NOT_SENT,
    /** The request was handed to a connection (or the failure is not understood). */
    MAYBE_SENT
  }

  private final Delivery delivery;

  public ForwardFailure(Failure failure, String detail, Delivery delivery) {
    super(failure, detail);
    this.delivery = delivery;
  }

  public ForwardFailure(Failure failure, String detail, Delivery delivery, Throwable cause) {
    super(failure, detail, cause);
    this.delivery = delivery;
  }

  public Delivery delivery() {
    return delivery;
  }

  public boolean maybeSent() {
    return delivery == Delivery.MAYBE_SENT;
  }

  /**
   * The failure of a forward as a {@code ForwardFailure}; anything else is an unexpected internal
   * error that may have happened after sending, so it counts as maybe sent.
   */
  public static ForwardFailure of(Throwable t) {
    if (t instanceof ForwardFailure f) {
      return f;
    }
    GateException g = GateException.of(t);
    return new ForwardFailure(g.failure(), g.getMessage(), Delivery.MAYBE_SENT, t);
  }
}
