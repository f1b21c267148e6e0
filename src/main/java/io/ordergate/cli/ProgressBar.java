package io.ordergate.cli;

import io.ordergate.cleanup.CleanupExecution.Progress;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  private final PrintStream err;
  private final Supplier<Progress> progress;
  private final boolean terminal;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "progress");
    t.setDaemon(true);
    return t;
  });
  private boolean stopped;

  private ProgressBar(PrintStream err, Supplier<Progress> progress, boolean terminal) {
    this.err = err;
    this.progress = progress;
    this.terminal = terminal;
  }

  static ProgressBar start(PrintStream err, Supplier<Progress> progress) {
    ProgressBar bar = new ProgressBar(err, progress, stderrIsTerminal());
    long every = bar.terminal ? 200 : 5_000;
    bar.timer.scheduleAtFixedRate(bar::draw, bar.terminal ? 0 : every, every, TimeUnit.MILLISECONDS);
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
    Progress p = progress.get();
    long percent = p.total() == 0 ? 100 : p.done() * 100 / p.total();
    String numbers = String.format("%d/%d %3d%%  %.1f/s  ETA %s", p.done(), p.total(), percent, p.perSecond(), eta(p));
    if (terminal) {
      int filled = (int) (WIDTH * percent / 100);
      // The cursor goes back to the start of the line: a log line printed meanwhile overwrites the bar
      // instead of trailing after it, and the next draw starts on a line of its own.
      err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + numbers + "   \r");
    } else {
      err.println("progress: " + numbers + " (" + p.cancelled() + " cancelled, " + p.gone() + " already gone, " + p.failed() + " failed)");
    }
    err.flush();
  }

  private static String eta(Progress p) {
    if (p.done() >= p.total()) {
      return "0s";
    }
    Duration eta = p.eta();
    if (eta == null) {
      return "?";
    }
    long s = eta.toSeconds();
    return s >= 3600 ? s / 3600 + "h" + (s % 3600) / 60 + "m" : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
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
