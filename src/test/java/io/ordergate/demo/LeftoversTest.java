package io.ordergate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only the demo's own leftover processes are stopped, never one that got their number since. */
class LeftoversTest {
  @TempDir Path dir;

  private static Process sleeper() throws Exception {
    return new ProcessBuilder("sleep", "120").start();
  }

  @Test
  void aRememberedProcessIsStopped() throws Exception {
    Process p = sleeper();
    try {
      Leftovers leftovers = new Leftovers(dir.resolve("pids"));
      leftovers.remember(p.pid());
      new Leftovers(dir.resolve("pids")).stopPrevious();
      assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(dir.resolve("pids")).doesNotExist();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aBarePidFromAnOlderFileIsNotKilled() throws Exception {
    Process unrelated = sleeper();
    try {
      Files.writeString(dir.resolve("pids"), unrelated.pid() + "\n");
      new Leftovers(dir.resolve("pids")).stopPrevious();
      assertThat(unrelated.waitFor(1, TimeUnit.SECONDS)).isFalse();
      assertThat(unrelated.isAlive()).isTrue();
    } finally {
      unrelated.destroyForcibly();
    }
  }

  @Test
  void aReusedPidIsNotKilled() throws Exception {
    Process unrelated = sleeper();
    try {
      Leftovers.Entry real = Leftovers.Entry.of(unrelated.toHandle()).orElseThrow();
      // The same number, but the process it was written for started at another time, or was
      // another program: the number has been handed on.
      Files.writeString(
          dir.resolve("pids"),
          new Leftovers.Entry(real.pid(), real.startMillis() - 60_000, real.command()).line()
              + "\n"
              + new Leftovers.Entry(real.pid(), real.startMillis(), "/usr/bin/node").line()
              + "\n");
      new Leftovers(dir.resolve("pids")).stopPrevious();
      assertThat(unrelated.waitFor(1, TimeUnit.SECONDS)).isFalse();
      assertThat(unrelated.isAlive()).isTrue();
    } finally {
      unrelated.destroyForcibly();
    }
  }
}
