package io.ordergate.it;

import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestBackend;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Without an Unleash server the flags file is re-read on every poll: editing it kills a source. */
class FileFlagsIT {
  static Vertx vertx;
  static TestBackend backend;
  static GatewayHarness gateway;
  static Path flagsFile;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    backend = TestBackend.start(vertx);
    var env = GatewayHarness.settings(backend.url());
    flagsFile = GatewayHarness.withFlagsFile(env);
    gateway = GatewayHarness.start(vertx, env);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    backend.close();
    vertx.close();
  }

  @Test
  void editingTheFlagsFileKillsAndRevivesASource() {
    UnleashOutageIT.awaitStatus(gateway, "perftest", 201);
    GatewayHarness.setFlag(flagsFile, "order-source.perftest", false);
    UnleashOutageIT.awaitStatus(gateway, "perftest", 503);
    UnleashOutageIT.awaitStatus(gateway, "web", 201);
    GatewayHarness.setFlag(flagsFile, "order-source.perftest", true);
    UnleashOutageIT.awaitStatus(gateway, "perftest", 201);
  }
}
