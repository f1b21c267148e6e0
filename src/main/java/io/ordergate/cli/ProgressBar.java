package io.ordergate.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Progress of a long command on stderr: one redrawn line on a terminal, a plain line every few
 * seconds otherwise (logs, CI, a pipe), so that stdout keeps only the report.
 */
final class ProgressBar {
  private static final int WIDTH = 30;

  /**
   * One look at a running job.
   *
   * @param detail what the counts are made of, e.g. "3 cancelled, 1 failed"; shown after the
   *     numbers
   */
  record Reading(long done, long total, double perSecond, String detail) {}

  private final PrintStream err;
  private final String label;
  private final Supplier<Reading> reading;
  private final boolean terminal;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
          });
  private boolean stopped;

  private ProgressBar(PrintStream err, String label, Supplier<Reading> reading, boolean terminal) {
    this.err = err;
    this.label = label;
    this.reading = reading;
    this.terminal = terminal;
  }

  static ProgressBar start(PrintStream err, String label, Supplier<Reading> reading) {
    ProgressBar bar = new ProgressBar(err, label, reading, stderrIsTerminal());
    long every = bar.terminal ? 200 : 5_000;
    bar.timer.scheduleAtFixedRate(
        bar::draw, bar.terminal ? 0 : every, every, TimeUnit.MILLISECONDS);
    return bar;
  }

  /** Draws the last state once more and ends the line; idempotent. */
  synchronized void stop() {
    if (stopped) {
      return;
    }
    timer.shutdownNow();
    draw();
    if (terminal) {
      err.println();
    }
    stopped = true;
  }

  private synchronized void draw() {
    if (stopped) {
      return;
    }
    Reading r = reading.get();
    long percent = r.total() == 0 ? 100 : Math.min(100, r.done() * 100 / r.total());
    String numbers =
        String.format(
            "%d/%d %3d%%  %.1f/s  ETA %s  %s",
            r.done(), r.total(), percent, r.perSecond(), eta(r), r.detail());
    if (terminal) {
      int filled = (int) (WIDTH * percent / 100);
      // The cursor goes back to the start of the line: a log line printed meanwhile overwrites the
      // bar
      // instead of trailing after it, and the next draw starts on a line of its own.
      err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + numbers + "   \r");
    } else {
      err.println(label + ": " + numbers);
    }
    err.flush();
  }

  static String eta(Reading r) {
    long left = r.total() - r.done();
    if (left <= 0) {
      return "0s";
    }
    if (r.perSecond() <= 0) {
      return "?";
    }
    long s = (long) Math.ceil(left / r.perSecond());
    return s >= 3600
        ? s / 3600 + "h" + (s % 3600) / 60 + "m"
        : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
  }

  private static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return System.console() != null;
    }
  }
}
