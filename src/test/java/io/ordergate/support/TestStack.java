package io.ordergate.support;

import io.ordergate.app.Gateway;
import io.ordergate.demo.UnleashServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;

/**
 * A gateway in front of a test backend, on a Vert.x of its own: what most integration tests need.
 */
public final class TestStack implements AutoCloseable {
  public final Vertx vertx;
  public final TestBackend backend;
  public final GatewayHarness gateway;

  /** The editable flags file, or null when the gateway reads a real Unleash server. */
  public final Path flagsFile;

  private TestStack(Vertx vertx, TestBackend backend, GatewayHarness gateway, Path flagsFile) {
    this.vertx = vertx;
    this.backend = backend;
    this.gateway = gateway;
    this.flagsFile = flagsFile;
  }

  /** Flags from an editable copy of the bootstrap file; {@code extra} overrides any setting. */
  public static TestStack withFlagsFile(Map<String, String> extra) {
    Vertx vertx = Gateway.newVertx();
    TestBackend backend = TestBackend.start(vertx);
    Map<String, String> env = GatewayHarness.settings(backend.url());
    Path flagsFile = GatewayHarness.withFlagsFile(env);
    env.putAll(extra);
    return new TestStack(vertx, backend, GatewayHarness.start(vertx, env), flagsFile);
  }

  /** Flags from a real Unleash server. */
  public static TestStack withUnleash(UnleashServer unleash) {
    Vertx vertx = Gateway.newVertx();
    TestBackend backend = TestBackend.start(vertx);
    Map<String, String> env =
        GatewayHarness.withUnleash(GatewayHarness.settings(backend.url()), unleash);
    return new TestStack(vertx, backend, GatewayHarness.start(vertx, env), null);
  }

  @Override
  public void close() {
    gateway.close();
    backend.close();
    vertx.close();
  }
}
