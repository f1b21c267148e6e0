package io.ordergate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  @Test
  void everyCommandIsListedUnderItsOwnName() {
    CommandLine all = Main.commandLine("--help");
    assertThat(all.getSubcommands().keySet())
        .containsExactly(
            "serve",
            "demo",
            "order-system",
            "sources",
            "kill",
            "revive",
            "hold",
            "throttle",
            "shadow",
            "status",
            "cleanup",
            "quarantine",
            "help");
    all.getSubcommands()
        .forEach((name, sub) -> assertThat(sub.getCommandSpec().name()).isEqualTo(name));
  }

  @Test
  void aNamedCommandGetsOnlyItsOwnModel() {
    assertThat(Main.commandLine("kill").getSubcommands().keySet()).containsExactly("kill");
    assertThat(Main.commandLine("help").getSubcommands()).hasSize(13);
    assertThat(Main.commandLine("kil").getSubcommands()).hasSize(13);
  }
}
