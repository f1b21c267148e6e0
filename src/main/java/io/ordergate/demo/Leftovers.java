package io.ordergate.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Remembers the child processes a demo started, so that the next demo can stop them if the last one
 * was killed without a chance to clean up (kill -9, a closed terminal).
 */
final class Leftovers {
  private final Path file;

  Leftovers(Path file) {
    this.file = file;
  }

  void stopPrevious() {
    List<String> pids;
    try {
      pids = Files.readAllLines(file);
    } catch (IOException e) {
      return;
    }
    for (String line : pids) {
      try {
        ProcessHandle.of(Long.parseLong(line.trim()))
            .filter(ProcessHandle::isAlive)
            .ifPresent(
                p -> {
                  System.out.println(
                      "[demo] Stopping process " + p.pid() + " left over from an earlier demo");
                  p.destroy();
                  p.onExit()
                      .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                      .exceptionally(
                          t -> {
                            p.destroyForcibly();
                            return p;
                          })
                      .join();
                });
      } catch (NumberFormatException e) {
        // ignore a damaged line
      }
    }
    forget();
  }

  void remember(long pid) {
    if (pid <= 0) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file, pid + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // best effort: only a later demo's clean-up depends on it
    }
  }

  void forget() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // best effort
    }
  }
}
