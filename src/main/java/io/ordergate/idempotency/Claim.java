package io.ordergate.idempotency;

/** What the store says about a request's key. */
sealed interface Claim {
  /** The key is this request's now: process it, then complete or release the key. */
  record Granted() implements Claim {}

  /** The same request already finished: answer with its response. */
  record Replay(StoredResponse response) implements Claim {}

  /** The same key is held by a request that is still running. */
  record InFlight() implements Claim {}

  /** The key was used for a different request (method, path or body differ). */
  record Mismatch() implements Claim {}
}
