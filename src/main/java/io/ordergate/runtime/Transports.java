package io.ordergate.runtime;

import io.ordergate.config.ConfigException;
import io.ordergate.config.TransportChoice;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the network transport and builds Vert.x on it. io_uring needs a Linux kernel and a seccomp
 * profile that allow it (many container runtimes block it), epoll needs Linux, NIO works anywhere.
 * {@code auto} takes the first available in that order; a transport asked for by name must be
 * available, so an A/B measurement never silently runs on another.
 */
public final class Transports {
  private static final Logger LOG = LoggerFactory.getLogger(Transports.class);

  /**
   * Best first: io_uring submits reads and writes through rings shared with the kernel (fewer
   * system calls per request); epoll, Netty's mature native transport, where io_uring is not
   * allowed.
   */
  private static final List<TransportChoice> PREFERENCE =
      List.of(TransportChoice.IO_URING, TransportChoice.EPOLL, TransportChoice.NIO);

  private Transports() {}

  public static Vertx newVertx(TransportChoice choice) {
    return newVertx(choice, new VertxOptions());
  }

  /** Fails with a {@link ConfigException} naming {@code ORDERGATE_TRANSPORT} when unavailable. */
  public static Vertx newVertx(TransportChoice choice, VertxOptions options) {
    Transport transport = select(choice);
    Vertx vertx = Vertx.builder().with(options).withTransport(transport).build();
    LOG.info(
        "Network transport: {} ({}={}; available here: {})",
        name(vertx),
        TransportChoice.VARIABLE,
        choice.label(),
        String.join(", ", available()));
    return vertx;
  }

  static Transport select(TransportChoice choice) {
    if (choice == TransportChoice.AUTO) {
      for (TransportChoice candidate : PREFERENCE) {
        Transport transport = of(candidate);
        if (transport != null && transport.available()) {
          return transport;
        }
        LOG.debug("{} is not available: {}", candidate.label(), why(transport));
      }
      return Transport.NIO;
    }
    Transport transport = of(choice);
    if (transport == null || !transport.available()) {
      throw new ConfigException(
          TransportChoice.VARIABLE,
          "asks for "
              + choice.label()
              + ", which is not available here ("
              + why(transport)
              + "); use auto or one of: "
              + String.join(", ", available()));
    }
    return transport;
  }

  /** The transports this machine can run, best first. */
  public static List<String> available() {
    List<String> names = new ArrayList<>();
    for (TransportChoice candidate : PREFERENCE) {
      Transport transport = of(candidate);
      if (transport != null && transport.available()) {
        names.add(candidate.label());
      }
    }
    return names;
  }

  /** The transport a Vert.x instance runs on: io_uring, epoll, kqueue or nio. */
  public static String name(Vertx vertx) {
    Object implementation = ((VertxInternal) vertx).transport();
    for (Transport transport :
        new Transport[] {Transport.IO_URING, Transport.EPOLL, Transport.KQUEUE, Transport.NIO}) {
      if (transport != null && transport.implementation() == implementation) {
        return transport.name();
      }
    }
    return implementation.getClass().getSimpleName();
  }

  /** Null when Netty's classes for it are not on the class path at all. */
  private static Transport of(TransportChoice choice) {
    return switch (choice) {
      case IO_URING -> Transport.IO_URING;
      case EPOLL -> Transport.EPOLL;
      case NIO, AUTO -> Transport.NIO;
    };
  }

  private static String why(Transport transport) {
    if (transport == null) {
      return "its Netty native transport is not on the class path";
    }
    Throwable cause = transport.unavailabilityCause();
    return cause == null ? "unknown reason" : String.valueOf(cause.getMessage());
  }
}
