package io.ordergate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free loopback ports for servers started by tests. */
public final class Ports {
  /**
   * Every port handed out in this JVM. The kernel may hand the same ephemeral port to two probes in
   * a row once the first probe's socket is closed, so a harness asking for an HTTP and an ops port
   * could get the same number twice (seen in CI: "ORDERGATE_OPS_PORT must differ from
   * ORDERGATE_HTTP_PORT").
   */
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private Ports() {}

  public static synchronized int free() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = probe();
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no loopback port that this JVM has not handed out already");
  }

  private static int probe() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
