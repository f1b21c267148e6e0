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
}
