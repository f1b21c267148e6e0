package io.ordergate.forward;

import java.net.URI;

/**
 * Where the order system listens, read once from {@code ORDERGATE_BACKEND_URL}: its path (without a
 * trailing slash) prefixes every path sent to it, forwarded orders and clean-up cancels alike.
 */
public record BackendAddress(String host, int port, boolean ssl, String basePath) {

  public static BackendAddress of(URI backend) {
    boolean ssl = backend.getScheme().equalsIgnoreCase("https");
    String path = backend.getRawPath() == null ? "" : backend.getRawPath();
    return new BackendAddress(
        backend.getHost(),
        backend.getPort() > 0 ? backend.getPort() : ssl ? 443 : 80,
        ssl,
        path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
  }
}
