package io.ordergate.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeadDeadlinesTest {
  final EventLoop loop = new DefaultEventLoop();

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** A connection whose head is late when the test says so. */
  static final class Head extends HeadDeadlines.Entry {
    volatile boolean late;
    final AtomicInteger expired = new AtomicInteger();
    final CountDownLatch done = new CountDownLatch(1);
    Runnable onExpire = () -> {};

    @Override
    boolean overdue(long nowNanos, long timeoutNanos) {
      return late && expired.get() == 0;
    }

    @Override
    void expire() {
      expired.incrementAndGet();
      onExpire.run();
      done.countDown();
    }
  }

  void onLoop(Runnable r) throws Exception {
    loop.submit(r).get(10, TimeUnit.SECONDS);
  }

  @Test
  void theSweepExpiresLateHeadsOnlyAndForgetsRemovedOnes() throws Exception {
    HeadDeadlines deadlines = new HeadDeadlines(Duration.ofMillis(100));
    Head onTime = new Head();
    Head late = new Head();
    Head removed = new Head();
    Head closesItself = new Head();
    closesItself.onExpire = () -> deadlines.remove(loop, closesItself); // as a close does
    for (Head h : new Head[] {onTime, late, removed, closesItself}) {
      onLoop(() -> deadlines.add(loop, h));
    }
    onLoop(() -> deadlines.remove(loop, removed));
    removed.late = true;
    closesItself.late = true;
    late.late = true;
    assertThat(late.done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(closesItself.done.await(30, TimeUnit.SECONDS)).isTrue();
    onLoop(() -> {}); // one more turn of the loop
    assertThat(onTime.expired).hasValue(0);
    assertThat(removed.expired).hasValue(0);
    assertThat(late.expired).hasValue(1);
    assertThat(closesItself.expired).hasValue(1);
  }

  /**
   * Thousands of slowloris connections come due in the same sweep: they are closed a batch at a
   * time, and the loop runs its other tasks (reads and answers of legitimate requests) between
   * batches instead of after all of them.
   */
  @Test
  void manyLateHeadsAreExpiredInBatchesWithTheLoopsOtherWorkBetween() throws Exception {
    HeadDeadlines deadlines = new HeadDeadlines(Duration.ofMillis(100));
    int count = 10 * HeadDeadlines.BATCH + 3;
    AtomicInteger sinceOtherWork = new AtomicInteger();
    AtomicInteger mostInARow = new AtomicInteger();
    boolean[] otherWorkQueued = {false}; // touched on the loop only
    CountDownLatch all = new CountDownLatch(count);
    Head[] heads = new Head[count];
    for (int i = 0; i < count; i++) {
      Head h = new Head();
      h.onExpire =
          () -> {
            mostInARow.accumulateAndGet(sinceOtherWork.incrementAndGet(), Math::max);
            if (!otherWorkQueued[0]) {
              otherWorkQueued[0] = true;
              loop.execute( // stands for a read that arrived meanwhile
                  () -> {
                    otherWorkQueued[0] = false;
                    sinceOtherWork.set(0);
                  });
            }
            deadlines.remove(loop, h);
            all.countDown();
          };
      heads[i] = h;
    }
    onLoop(
        () -> {
          for (Head h : heads) {
            deadlines.add(loop, h);
            h.late = true; // all due in the same sweep
          }
        });
    assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(mostInARow.get()).isBetween(1, HeadDeadlines.BATCH);
    for (Head h : heads) {
      assertThat(h.expired).hasValue(1);
    }
  }

  @Test
  void theSweepRunsATwentiethOfTheDeadlineApartWithinBounds() {
    assertThat(HeadDeadlines.period(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(500));
    assertThat(HeadDeadlines.period(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(50));
    assertThat(HeadDeadlines.period(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(5));
    assertThat(HeadDeadlines.period(Duration.ofMinutes(5))).isEqualTo(Duration.ofMillis(500));
  }
}
