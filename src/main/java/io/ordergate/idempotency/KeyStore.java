package io.ordergate.idempotency;

import io.vertx.core.Future;

/** The three store operations the idempotency protocol needs; {@link IdempotencyStore} in use. */
public interface KeyStore {
  /** Takes the key for this request, or says who holds it. */
  Future<Claim> claim(String sourceId, String key, byte[] requestHash, String requestId);

  /** Stores the answer for repeats; false when the key was no longer this request's. */
  Future<Boolean> complete(String sourceId, String key, String requestId, StoredResponse response);

  /** Gives the key back: the client's retry is processed anew. */
  Future<Void> release(String sourceId, String key, String requestId);
}
