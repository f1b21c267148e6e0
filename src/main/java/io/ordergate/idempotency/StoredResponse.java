package io.ordergate.idempotency;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** The answer given to the first request with a key, replayed to every repeat. */
public record StoredResponse(int status, MultiMap headers, Buffer body) {}
