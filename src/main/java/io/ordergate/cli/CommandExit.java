package io.ordergate.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A one-shot command's exit without the JVM's 300 ms wait. Java 17's exit (System.exit as much as
 * the end of main) waits up to 300 ms, in 10 ms steps, for every thread running native code to
 * stop: a Vert.x event loop blocked in its selector is one, so a command that left its Vert.x open
 * paid 0.3 s after its last line. Closing the command's Vert.x first ends those threads within a
 * few ms; the wait is bounded, so exit is never later than before.
 */
public final class CommandExit {
  private static final List<Vertx> OPEN = new CopyOnWriteArrayList<>();
  private static final long CLOSE_WAIT_MS = 250;

  private static final TimeUnit NANOS = TimeUnit.NANOSECONDS;

  private CommandExit() {}

  private static long left(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /** {@code vertx}, to be closed before the command exits. */
  static Vertx closedAtExit(Vertx vertx) {
    OPEN.add(vertx);
    return vertx;
  }

  /**
   * Closes every command Vert.x (its pools, connections and event loops) and waits for that, at
   * most {@value #CLOSE_WAIT_MS} ms; a command that made none returns at once.
   */
  public static void closeAll() {
    if (OPEN.isEmpty()) {
      return;
    }
    CliTiming.threadsInNative();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
    List<Vertx> open = List.copyOf(OPEN);
    OPEN.removeAll(open);
    List<Future<Void>> closing = open.stream().map(Vertx::close).toList();
    try {
      Future.join(closing).toCompletionStage().toCompletableFuture().get(left(deadline), NANOS);
      // Vert.x's close completes before its event loop threads have left their selectors.
      for (Vertx vertx : open) {
        VertxInternal internal = (VertxInternal) vertx;
        internal.nettyEventLoopGroup().terminationFuture().await(left(deadline), NANOS);
        internal.acceptorEventLoopGroup().terminationFuture().await(left(deadline), NANOS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Not closed in time, or failed: the exit ends it all the same, only without the saving.
    }
    CliTiming.mark("Vert.x closed");
    CliTiming.threadsInNative();
  }
}
