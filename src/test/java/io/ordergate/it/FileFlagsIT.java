package io.ordergate.it;

import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestStack;
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
}
