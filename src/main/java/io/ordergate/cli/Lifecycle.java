package io.ordergate.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs shutdown work on SIGTERM/SIGINT; the JVM waits for the hook, so in-flight work can finish.
 */
final class Lifecycle {
  private Lifecycle() {}

  /** Returns what takes the hook away again, for work that ends before the process does. */
  static Runnable stopOnSignal(String what, Runnable stop) {
    Thread hook =
        new Thread(
            () -> {
              try {
                stop.run();
              } catch (RuntimeException e) {
                System.err.println(
                    "order-gate: error while stopping the " + what + ": " + e.getMessage());
              }
            },
            "shutdown-" + what);
    Runtime.getRuntime().addShutdownHook(hook);
    return () -> {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waits for the report
      }
    };
  }

  /**
   * For a command that prints a report when it ends: a signal stops the job, then the JVM is held
   * until the command counts {@code reported} down (or {@code wait} passes), so that Ctrl-C still
   * prints the summary and how to resume.
   */
  static Runnable stopOnSignal(String what, Runnable stop, CountDownLatch reported, Duration wait) {
    return stopOnSignal(
        what,
        () -> {
          stop.run();
          try {
            reported.await(wait.toMillis(), TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }
}
