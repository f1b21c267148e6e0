package io.ordergate.it;

import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Without an Unleash server the flags file is re-read on every poll: editing it kills a source. */
class FileFlagsIT {
  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.withFlagsFile(Map.of());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void editingTheFlagsFileKillsAndRevivesASource() {
    GatewayHarness gateway = stack.gateway;
    gateway.awaitOrderStatus("perftest", 201);
    GatewayHarness.setFlag(stack.flagsFile, "order-source.perftest", false);
    gateway.awaitOrderStatus("perftest", 503);
    gateway.awaitOrderStatus("web", 201);
    GatewayHarness.setFlag(stack.flagsFile, "order-source.perftest", true);
    gateway.awaitOrderStatus("perftest", 201);
  }

  @Test
  void aFlagSourceThatFailsForAWhileDoesNotSlowTheNextKill() throws Exception {
    GatewayHarness gateway = stack.gateway;
    Path aside = stack.flagsFile.resolveSibling("flags.aside");
    Files.move(stack.flagsFile, aside);
    GatewayHarness.sleep(1_000); // several polls fail (the file fetcher answers 404)
    Files.move(aside, stack.flagsFile);
    GatewayHarness.setFlag(stack.flagsFile, "order-source.perftest", false);
    // The SDK's own back-off would skip the next 300 polls (2.5 minutes here); the 15 s bound
    // catches that.
    gateway.awaitOrderStatus("perftest", 503);
    GatewayHarness.setFlag(stack.flagsFile, "order-source.perftest", true);
    gateway.awaitOrderStatus("perftest", 201);
  }
}
