/**
 * The {@code Idempotency-Key} protocol: claim the key, replay a stored answer, store the answer
 * before it is sent, and give the key back only when the request provably never left the gateway.
 * The request path uses {@code Idempotency}, {@code KeyCheck} and {@code Ticket}.
 *
 * <p>Others may use {@link io.ordergate.idempotency.Idempotency}, {@link
 * io.ordergate.idempotency.IdempotencyStore}, {@link io.ordergate.idempotency.KeyCheck}, {@link
 * io.ordergate.idempotency.RequestFingerprint}, {@link io.ordergate.idempotency.StoredResponse},
 * {@link io.ordergate.idempotency.Ticket}; the rest is internal.
 */
package io.ordergate.idempotency;
