package io.ordergate.traffic;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One traffic server per event loop, all on the same port. Stopping it drains in-flight requests.
 */
public final class TrafficVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final TrafficHandler handler;
  private final Duration drainTimeout;
  private final boolean strictThreadMode;
  private final ConnectionGuard guard;
  private HttpServer server;

  /**
   * {@code strictThreadMode}: every response is written on its request's event loop (true of {@link
   * TrafficHandler}), so Vert.x may write directly instead of through its hand-off queue.
   */
  public TrafficVerticle(
      String host,
      int port,
      TrafficHandler handler,
      Duration drainTimeout,
      boolean strictThreadMode,
      ConnectionGuard guard) {
    this.host = host;
    this.port = port;
    this.handler = handler;
    this.drainTimeout = drainTimeout;
    this.strictThreadMode = strictThreadMode;
    this.guard = guard;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            .setTcpNoDelay(true)
            // Between requests on a kept-alive connection; a request itself has the header and
            // request deadlines (ConnectionGuard, the request path).
            .setIdleTimeout(120)
            // Decoder limits, stated rather than inherited: request line 4 KiB (414 beyond), all
            // header lines together 16 KiB (431 beyond), body read in pieces of at most 8 KiB.
            .setMaxInitialLineLength(4096)
            .setMaxHeaderSize(16 * 1024)
            .setMaxChunkSize(8192)
            .setDecompressionSupported(false)
            .setCompressionSupported(false)
            // No WebSockets here: without these, Vert.x adds no WebSocket extension handler (three
            // objects and a pipeline stage) to every connection, slow ones included.
            .setPerFrameWebSocketCompressionSupported(false)
            .setPerMessageWebSocketCompressionSupported(false)
            .setStrictThreadMode(strictThreadMode)
            // Order sources speak HTTP/1.1. Without TLS there is no ALPN, and h2c would need its
            // own drain and framing rules (no Connection header): refuse it rather than
            // half-support it.
            .setHttp2ClearTextEnabled(false);
    server = vertx.createHttpServer(options);
    return server
        .connectionHandler(connection -> guard.attach(connection, options))
        .requestHandler(handler)
        .invalidRequestHandler(handler::handleInvalid)
        .listen();
  }

  /** By now the gateway has waited for in-flight requests; what is left gets a short grace. */
  @Override
  public Future<?> stop() {
    return server.shutdown(Math.min(1_000, drainTimeout.toMillis()), TimeUnit.MILLISECONDS);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
