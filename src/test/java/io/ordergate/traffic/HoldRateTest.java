package io.ordergate.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordergate.problem.Failure;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cap on held orders per source: one second's orders at once, then its rate, per source. */
class HoldRateTest {
  static final long SECOND = 1_000_000_000L;
  final AtomicLong now = new AtomicLong(-5 * SECOND); // nanoTime may be negative
  final HoldRate cap = new HoldRate(4, now::get);

  int stored(String source, int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      if (cap.overCap(source) == null) {
        n++;
      }
    }
    return n;
  }

  @Test
  void aBurstStoresOneSecondsOrdersAndRefusesTheRest() {
    assertThat(stored("perftest", 10)).isEqualTo(4);
    Refusal refusal = cap.overCap("perftest");
    assertThat(refusal.failure()).isEqualTo(Failure.SOURCE_OVER_HOLD_RATE);
    assertThat(refusal.failure().status()).isEqualTo(429);
    assertThat(refusal.source()).isEqualTo("perftest");
    assertThat(refusal.detail()).contains("at most 4 a second").contains("neither stored nor");
  }

  @Test
  void theRateComesBackWithTime() {
    stored("perftest", 10);
    now.addAndGet(SECOND / 4);
    assertThat(stored("perftest", 10)).isEqualTo(1);
    now.addAndGet(SECOND / 2);
    assertThat(stored("perftest", 10)).isEqualTo(2);
    now.addAndGet(10 * SECOND); // a long pause refills one second's worth, not more
    assertThat(stored("perftest", 100)).isEqualTo(4);
  }

  @Test
  void aSteadySourceAtItsRateIsNeverRefused() {
    for (int i = 0; i < 100; i++) {
      assertThat(cap.overCap("web")).isNull();
      now.addAndGet(SECOND / 4);
    }
  }

  @Test
  void eachSourceHasItsOwnCap() {
    assertThat(stored("perftest", 10)).isEqualTo(4);
    assertThat(stored("partner", 10)).isEqualTo(4);
  }

  @Test
  void aRefusalIsBuiltOncePerSourceSoARefusedFloodAllocatesNothingHere() {
    stored("perftest", 4);
    assertThat(cap.overCap("perftest")).isSameAs(cap.overCap("perftest"));
  }

  @Test
  void noCapStoresEverything() {
    HoldRate none = new HoldRate(0, now::get);
    for (int i = 0; i < 10_000; i++) {
      assertThat(none.overCap("perftest")).isNull();
    }
    assertThat(HoldRate.NONE.overCap("perftest")).isNull();
    assertThatThrownBy(() -> new HoldRate(-1, now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
