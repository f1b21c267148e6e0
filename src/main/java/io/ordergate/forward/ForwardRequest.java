package io.ordergate.forward;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * What to send to the order system on behalf of a source.
 *
 * @param pathAndQuery origin-form only, never the client's absolute-form target
 * @param body null for a request without one; an empty buffer still sends {@code Content-Length: 0}
 */
public record ForwardRequest(
    HttpMethod method,
    String pathAndQuery,
    MultiMap clientHeaders,
    Buffer body,
    String sourceId,
    String requestId,
    String clientAddress,
    String clientHost) {}
