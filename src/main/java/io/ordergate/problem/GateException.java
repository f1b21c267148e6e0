package io.ordergate.problem;

/**
 * A request failed for a named reason; turned into problem JSON by {@link Problems}. Subclasses add
 * facts of their step (forward/ForwardFailure: whether the request was sent).
 */
public class GateException extends RuntimeException {
  private final Failure failure;

  public GateException(Failure failure, String detail) {
    super(detail, null, false, false);
    this.failure = failure;
  }

  public GateException(Failure failure, String detail, Throwable cause) {
    super(detail, cause, false, false);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }

  /** Wraps anything unexpected so that callers deal with one failure type only. */
  public static GateException of(Throwable t) {
    return t instanceof GateException g
        ? g
        : new GateException(Failure.INTERNAL, "unexpected error: " + t, t);
  }
}
