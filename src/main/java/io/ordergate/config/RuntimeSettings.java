package io.ordergate.config;

import java.util.Set;

/**
 * How the gateway's event loops run: the network transport and Vert.x's strict thread mode for the
 * traffic port ({@code ORDERGATE_STRICT_THREAD_MODE}: responses are written directly instead of
 * through a hand-off queue, which holds because every response is written on its request's event
 * loop; off unless the bench shows that it wins).
 */
public record RuntimeSettings(TransportChoice transport, boolean strictThreadMode) {
  public static final String STRICT_THREAD_MODE = "ORDERGATE_STRICT_THREAD_MODE";

  public static RuntimeSettings from(Env env) {
    return new RuntimeSettings(
        TransportChoice.from(env),
        env.oneOf(STRICT_THREAD_MODE, "false", Set.of("true", "false")).equals("true"));
  }
}
