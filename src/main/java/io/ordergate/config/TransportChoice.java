package io.ordergate.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which network transport the Vert.x event loops use ({@code ORDERGATE_TRANSPORT}). {@code auto}
 * takes the first this machine allows: io_uring, then epoll, then NIO.
 */
public enum TransportChoice {
  AUTO,
  IO_URING,
  EPOLL,
  NIO;

  public static final String VARIABLE = "ORDERGATE_TRANSPORT";

  /** The name as written in the variable and shown in logs, {@code /ops/runtime} and metrics. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Set<String> labels() {
    return Arrays.stream(values()).map(TransportChoice::label).collect(Collectors.toSet());
  }

  /** The choice written as {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}. */
  public static Optional<TransportChoice> named(String label) {
    return Arrays.stream(values())
        .filter(c -> c.label().equals(label.trim().toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  public static TransportChoice from(Env env) {
    return named(env.oneOf(VARIABLE, "auto", labels())).orElseThrow();
  }
}
