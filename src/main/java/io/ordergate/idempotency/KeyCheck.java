package io.ordergate.idempotency;

import io.ordergate.problem.Failure;

/** What the protocol says about a request's {@code Idempotency-Key} before it is processed. */
public sealed interface KeyCheck {
  /** Process the request; the ticket settles the key once the answer is known. */
  record Proceed(Ticket ticket) implements KeyCheck {}

  /** The same request already finished: answer with its stored response. */
  record Replay(StoredResponse response) implements KeyCheck {}

  /** Do not process the request: unusable key, in flight, reused, or the store failed. */
  record Refused(Failure failure, String detail) implements KeyCheck {}
}
