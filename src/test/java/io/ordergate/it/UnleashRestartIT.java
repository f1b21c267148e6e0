package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.demo.UnleashServer;
import io.ordergate.flags.UnleashAdmin;
import io.ordergate.support.Ports;
import io.ordergate.support.TestDatabase;
import io.ordergate.support.TestUnleash;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A killed source stays killed when Unleash restarts: the flags are seeded once per database, not
 * at every start (a re-import once switched perftest back on with no one reviving it).
 */
class UnleashRestartIT {
  private static UnleashServer start(String database) {
    return UnleashServer.start(
        Path.of("flags"),
        Ports.free(),
        database,
        Path.of("target", "unleash-restart-" + System.nanoTime() + ".log"),
        Duration.ofSeconds(120));
  }

  @Test
  void aKillSurvivesARestartOfUnleash() {
    String database = TestDatabase.fresh("unleash");
    try (UnleashServer first = start(database)) {
      UnleashAdmin admin = TestUnleash.admin(first);
      assertThat(admin.flag("order-source.perftest").orElseThrow().enabled()).isTrue();
      admin.setEnabled("order-source.perftest", false);
    }
    try (UnleashServer second = start(database)) {
      UnleashAdmin admin = TestUnleash.admin(second);
      assertThat(admin.flag("order-source.perftest").orElseThrow().enabled()).isFalse();
      assertThat(admin.flag("order-source.web").orElseThrow().enabled()).isTrue();
    }
  }
}
