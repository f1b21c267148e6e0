package io.ordergate.flags;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A webhook-triggered refresh polls until the change arrived, and not forever. */
class PollSchedulerTest {

  /** Registers {@code poller} as the SDK's fetch, with a regular schedule too far off to matter. */
  private static PollScheduler scheduler(Runnable poller) {
    PollScheduler s = new PollScheduler(Duration.ofSeconds(60));
    s.setInterval(poller, 3_600, PollScheduler.FETCH_PERIOD_SECONDS);
    return s;
  }

  @Test
  void pollsAgainUntilTheChangeArrivedThenStops() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    PollScheduler s = scheduler(polls::incrementAndGet);
    try {
      CountDownLatch done = new CountDownLatch(1);
      s.refreshUntil(
          () -> {
            if (polls.get() >= 3) {
              done.countDown();
              return true;
            }
            return false;
          });
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      drain(s);
      assertThat(polls.get()).isEqualTo(3);
    } finally {
      s.shutdownNow();
    }
  }

  @Test
  void givesUpAfterABoundedNumberOfPolls() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    PollScheduler s = scheduler(polls::incrementAndGet);
    try {
      s.refreshUntil(() -> false);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (polls.get() < PollScheduler.REFRESH_POLLS && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      drain(s);
      Thread.sleep(3 * PollScheduler.REFRESH_EVERY_MILLIS); // one more would have been scheduled
      drain(s);
      assertThat(polls.get()).isEqualTo(PollScheduler.REFRESH_POLLS);
    } finally {
      s.shutdownNow();
    }
  }

  @Test
  void aChangeAlreadyFetchedCostsNoPoll() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    PollScheduler s = scheduler(polls::incrementAndGet);
    try {
      s.refreshUntil(() -> true);
      drain(s);
      assertThat(polls.get()).isZero();
    } finally {
      s.shutdownNow();
    }
  }

  /** Waits until everything queued on the scheduler's one thread so far has run. */
  private static void drain(PollScheduler s) throws Exception {
    s.scheduleOnce(() -> {}).get(30, TimeUnit.SECONDS);
  }
}
