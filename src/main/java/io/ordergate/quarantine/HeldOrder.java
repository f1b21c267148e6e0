package io.ordergate.quarantine;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;

/**
 * An order as received from a quarantined source, kept so it can be replayed byte for byte later.
 *
 * @param pathAndQuery origin-form, as it would have been forwarded
 * @param headers the headers as they would have been forwarded: no credentials, no hop-by-hop ones
 */
public record HeldOrder(
    String sourceId,
    String requestId,
    String method,
    String pathAndQuery,
    MultiMap headers,
    Buffer body,
    Instant receivedAt) {}
