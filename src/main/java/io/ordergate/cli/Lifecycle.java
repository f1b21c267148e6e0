package io.ordergate.cli;

/** Runs shutdown work on SIGTERM/SIGINT; the JVM waits for the hook, so in-flight work can finish. */
final class Lifecycle {
  private Lifecycle() {}

  static void stopOnSignal(String what, Runnable stop) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        stop.run();
      } catch (RuntimeException e) {
        System.err.println("order-gate: error while stopping the " + what + ": " + e.getMessage());
      }
    }, "shutdown-" + what));
  }
}
