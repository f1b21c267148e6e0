package io.ordergate.forward;

import io.ordergate.forward.ForwardFailure.Delivery;
import io.ordergate.problem.Failure;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * Turns what went wrong during a forward into a {@link ForwardFailure}. Whether the request was
 * sent is decided by how far the forward got ({@code handedOver}: the request had a connection and
 * was given to it), never by guessing from the exception.
 */
final class ForwardFailures {
  private final String host;
  private final int port;
  private final long timeoutMillis;
  private final boolean pipelining;

  /** {@code pipelining}: requests may wait behind others on one connection. */
  ForwardFailures(String host, int port, long timeoutMillis, boolean pipelining) {
    this.host = host;
    this.port = port;
    this.timeoutMillis = timeoutMillis;
    this.pipelining = pipelining;
  }

  ForwardFailure breakerOpen(String state) {
    return new ForwardFailure(
        Failure.BREAKER_OPEN,
        "the order system failed repeatedly; calls are paused (circuit breaker "
            + BackendGuard.NAME
            + " is "
            + state
            + ")",
        Delivery.NOT_SENT);
  }

  ForwardFailure bulkheadFull(int maxConcurrent) {
    return new ForwardFailure(
        Failure.BULKHEAD_FULL,
        "more than " + maxConcurrent + " requests are already waiting on the order system",
        Delivery.NOT_SENT);
  }

  /** The time limit struck; {@code handedOver} says whether the request had been sent by then. */
  ForwardFailure timedOut(boolean handedOver) {
    return handedOver
        ? new ForwardFailure(
            Failure.BACKEND_TIMEOUT,
            "the order system did not answer within " + timeoutMillis + " ms",
            Delivery.MAYBE_SENT)
        : new ForwardFailure(
            Failure.BACKEND_TIMEOUT,
            "no connection to the order system within " + timeoutMillis + " ms",
            Delivery.NOT_SENT);
  }

  /** A connection came after the time limit: it is reset unused. */
  ForwardFailure lateConnection() {
    return new ForwardFailure(
        Failure.BACKEND_TIMEOUT, "timed out waiting for a connection", Delivery.NOT_SENT);
  }

  /** An error of the HTTP client, before ({@code !handedOver}) or after the request was sent. */
  ForwardFailure classify(Throwable cause, boolean handedOver) {
    if (cause instanceof ForwardFailure f) {
      return f;
    }
    Delivery delivery = handedOver ? Delivery.MAYBE_SENT : Delivery.NOT_SENT;
    if (cause instanceof TimeoutException) {
      return new ForwardFailure(
          Failure.BACKEND_TIMEOUT,
          "no connection to the order system within " + timeoutMillis + " ms",
          delivery,
          cause);
    }
    if (!handedOver || cause instanceof ConnectException) {
      return new ForwardFailure(
          Failure.BACKEND_UNREACHABLE,
          "cannot connect to the order system at " + host + ":" + port + ": " + cause.getMessage(),
          delivery,
          cause);
    }
    if (cause instanceof HttpClosedException) {
      return new ForwardFailure(
          Failure.BACKEND_UNREACHABLE,
          pipelining
              ? "the connection to the order system closed before this request was answered (it"
                  + " was pipelined: the order system closed it, or a request ahead of it on the"
                  + " same connection timed out or failed); the order may have been taken, ask"
                  + " the order system before sending it again"
              : "the order system closed the connection before answering",
          delivery,
          cause);
    }
    return new ForwardFailure(
        Failure.BACKEND_UNREACHABLE,
        "error talking to the order system: " + cause,
        delivery,
        cause);
  }
}
