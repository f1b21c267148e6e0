package io.ordergate.forward;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/** What to send to the order system on behalf of a source. */
public record ForwardRequest(
    HttpMethod method, String uri, MultiMap clientHeaders, Buffer body, String sourceId, String requestId, String clientAddress, String clientHost) {}
