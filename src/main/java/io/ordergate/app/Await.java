package io.ordergate.app;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocks a command's main thread (never an event loop) on a Vert.x future. */
public final class Await {
  private Await() {}

  /** The future's result; its failure rethrown as is, or {@link Unfinished} on timeout. */
  public static <T> T result(Future<T> future, long seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r ? r : new RuntimeException(cause);
    } catch (TimeoutException e) {
      throw new Unfinished("timed out after " + seconds + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unfinished("interrupted");
    }
  }

  /**
   * The wait ended before the future did (time limit, interrupt): for a command, a failure the
   * operator can act on.
   */
  public static final class Unfinished extends RuntimeException {
    Unfinished(String message) {
      super(message, null, false, false);
    }
  }
}
