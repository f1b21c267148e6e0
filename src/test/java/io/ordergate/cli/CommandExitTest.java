package io.ordergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Before a one-shot command exits, no event loop of its Vert.x is left in its selector: Java 17's
 * exit would wait up to 300 ms for such a thread.
 */
class CommandExitTest {
  @Test
  void endsTheEventLoopThreadsOfACommandsVertxBeforeExit() throws Exception {
    Vertx vertx = CliDatabase.newVertx();
    CompletableFuture<Thread> loop = new CompletableFuture<>();
    vertx.runOnContext(v -> loop.complete(Thread.currentThread()));
    Thread eventLoop = loop.get(10, TimeUnit.SECONDS);
    assertThat(eventLoop.isAlive()).isTrue();

    long t0 = System.nanoTime();
    CommandExit.closeAll();

    // Ended, or (in the instant after its group reported termination) on its way out in Java code.
    assertThat(inNativeCode(eventLoop)).isFalse();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1_000);
  }

  private static boolean inNativeCode(Thread t) {
    StackTraceElement[] stack = t.getStackTrace();
    return t.isAlive() && stack.length > 0 && stack[0].isNativeMethod();
  }

  @Test
  void returnsAtOnceWhenTheCommandMadeNoVertx() {
    long t0 = System.nanoTime();
    CommandExit.closeAll();
    CommandExit.closeAll();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(100);
  }
}
