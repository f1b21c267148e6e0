package io.ordergate.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Remembers the child processes a demo started, so that the next demo can stop them if the last one
 * was killed without a chance to clean up (kill -9, a closed terminal).
 *
 * <p>A PID alone names a process only while it lives: once it exits, the system hands the number to
 * the next process. So each line records the PID with the process's start time and executable, and
 * a process is stopped only when all three still match; anything else (an unrelated process that
 * got the number, a line from an older demo without them) is left alone.
 */
final class Leftovers {
  /** Start times read twice may differ by the clock-tick rounding of the platform. */
  private static final long START_TOLERANCE_MILLIS = 1_000;

  private final Path file;

  Leftovers(Path file) {
    this.file = file;
  }

  /** One remembered process: {@code <pid> <start epoch millis> <executable>} on a line. */
  record Entry(long pid, long startMillis, String command) {
    static Optional<Entry> parse(String line) {
      String[] parts = line.trim().split(" ", 3);
      if (parts.length < 3) {
        return Optional.empty();
      }
      try {
        return Optional.of(new Entry(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    static Optional<Entry> of(ProcessHandle process) {
      ProcessHandle.Info info = process.info();
      Optional<Instant> start = info.startInstant();
      Optional<String> command = info.command();
      if (start.isEmpty() || command.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Entry(process.pid(), start.get().toEpochMilli(), command.get()));
    }

    String line() {
      return pid + " " + startMillis + " " + command;
    }

    /** True when {@code process} is the very process this entry was written for. */
    boolean matches(ProcessHandle process) {
      Optional<Entry> now = of(process);
      return now.isPresent()
          && now.get().pid == pid
          && Math.abs(now.get().startMillis - startMillis) <= START_TOLERANCE_MILLIS
          && now.get().command.equals(command);
    }
  }

  void stopPrevious() {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      return;
    }
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      Optional<Entry> entry = Entry.parse(line);
      if (entry.isEmpty()) {
        System.out.println(
            "[demo] Not stopping '"
                + line.trim()
                + "' from an earlier demo: the line does not say which process it was");
        continue;
      }
      ProcessHandle.of(entry.get().pid())
          .filter(ProcessHandle::isAlive)
          .ifPresent(
              p -> {
                if (!entry.get().matches(p)) {
                  return; // the number now belongs to another process
                }
                System.out.println(
                    "[demo] Stopping process " + p.pid() + " left over from an earlier demo");
                p.destroy();
                p.onExit()
                    .orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(
                        t -> {
                          if (entry.get().matches(p)) {
                            p.destroyForcibly();
                          }
                          return p;
                        })
                    .join();
              });
    }
    forget();
  }

  void remember(long pid) {
    if (pid <= 0) {
      return;
    }
    Optional<Entry> entry = ProcessHandle.of(pid).flatMap(Entry::of);
    if (entry.isEmpty()) {
      return; // gone already, or the platform does not say what it is: nothing to stop later
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          entry.get().line() + System.lineSeparator(),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
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
