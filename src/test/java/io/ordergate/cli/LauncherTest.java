package io.ordergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LauncherTest {
  @Test
  void printedCommandsStartTheProgramAsWrittenOutsideAJarToo() {
    // the tests run from target/classes, not from a jar
    assertThat(Launcher.command()).isEqualTo("java -jar order-gate.jar");
  }

  @Test
  void argumentsAreQuotedOnlyWhenTheShellWouldSplitOrExpandThem() {
    assertThat(Launcher.quote("target/order-gate.jar")).isEqualTo("target/order-gate.jar");
    assertThat(Launcher.quote("INC-42")).isEqualTo("INC-42");
    assertThat(Launcher.quote("INC-42: false alarm")).isEqualTo("'INC-42: false alarm'");
    assertThat(Launcher.quote("it's $HOME")).isEqualTo("'it'\\''s $HOME'");
    assertThat(Launcher.quote("")).isEqualTo("''");
  }
}
