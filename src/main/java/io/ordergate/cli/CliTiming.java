package io.ordergate.cli;

/**
 * Where a one-shot command spends its start, for whoever measures it: with {@code
 * -Dordergate.cli.timing=true} (e.g. in {@code JDK_JAVA_OPTIONS}) each {@link #mark} prints one
 * line on stderr with the milliseconds since the JVM started and the thread. Off by default: then a
 * mark is one static read.
 */
public final class CliTiming {
  private static final boolean ON = Boolean.getBoolean("ordergate.cli.timing");
  private static final long START_MILLIS =
      ON
          ? ProcessHandle.current()
              .info()
              .startInstant()
              .map(java.time.Instant::toEpochMilli)
              .orElse(System.currentTimeMillis())
          : 0;

  private CliTiming() {}

  /** Prints "timing: 812 ms [main] what" when timing is on. */
  public static void mark(String what) {
    if (ON) {
      System.err.println(
          "timing: "
              + (System.currentTimeMillis() - START_MILLIS)
              + " ms ["
              + Thread.currentThread().getName()
              + "] "
              + what);
    }
  }

  /**
   * With timing on, names the threads whose top frame is a native method: each makes the JVM's exit
   * wait (up to 300 ms) — see {@link CommandExit}.
   */
  static void threadsInNative() {
    if (ON) {
      Thread.getAllStackTraces()
          .forEach(
              (t, stack) -> {
                if (t != Thread.currentThread()
                    && t.getState() == Thread.State.RUNNABLE
                    && stack.length > 0
                    && stack[0].isNativeMethod()) {
                  mark("still in native code: " + t.getName() + " at " + stack[0]);
                }
              });
    }
  }
}
