package io.ordergate.forward;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** The order system's answer, headers already cleaned of hop-by-hop fields. */
public record BackendReply(int status, MultiMap headers, Buffer body) {}
