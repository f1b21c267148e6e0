package io.ordergate.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.forward.FairShare.Answer;
import io.ordergate.forward.FairShare.Waiter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FairShareTest {
  private final Map<String, Integer> weights = new HashMap<>();

  private FairShare shares(int capacity) {
    return new FairShare(capacity, s -> weights.getOrDefault(s, 1));
  }

  private static List<Answer> offer(FairShare shares, String source, int n) {
    List<Answer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(shares.offer(new Waiter(source)));
    }
    return out;
  }

  @Test
  void guaranteeIsTheCapacityTimesTheShareOverTheActiveShares() {
    assertThat(FairShare.guarantee(512, 1, 1)).isEqualTo(512);
    assertThat(FairShare.guarantee(512, 1, 4)).isEqualTo(128);
    assertThat(FairShare.guarantee(512, 3, 4)).isEqualTo(384);
    assertThat(FairShare.guarantee(10, 1, 3)).as("rounded down").isEqualTo(3);
    assertThat(FairShare.guarantee(2, 1, 5)).as("never below one").isEqualTo(1);
    assertThat(FairShare.guarantee(8, 1, 0)).isEqualTo(8);
  }

  @Test
  void aSourceAloneMayUseAllOfTheCapacity() {
    FairShare shares = shares(8);
    assertThat(offer(shares, "perftest", 8)).containsOnly(Answer.ADMIT);
    assertThat(shares.offer(new Waiter("perftest"))).isEqualTo(Answer.SATURATED);
    assertThat(shares.total()).isEqualTo(8);
  }

  @Test
  void aSourceWithinItsGuaranteeWaitsForTheNextSlotAndBorrowersAreRefused() {
    FairShare shares = shares(8);
    offer(shares, "perftest", 8);
    Waiter web = new Waiter("web");
    assertThat(shares.offer(web)).isEqualTo(Answer.WAIT);
    assertThat(shares.offer(new Waiter("perftest"))).isEqualTo(Answer.OVER_SHARE);

    assertThat(shares.release("perftest")).containsExactly(web);
    assertThat(shares.inFlight("web")).isEqualTo(1);
    assertThat(shares.inFlight("perftest")).isEqualTo(7);
    assertThat(shares.offer(new Waiter("perftest")))
        .as("web may still claim 3 more slots of its 4")
        .isEqualTo(Answer.OVER_SHARE);
  }

  @Test
  void aBorrowerLeavesTheUnusedGuaranteesOfActiveSourcesFree() {
    FairShare shares = shares(8);
    assertThat(shares.offer(new Waiter("web"))).isEqualTo(Answer.ADMIT);
    // web is active with 1 of its 4: perftest gets its own 4, no more.
    assertThat(offer(shares, "perftest", 5))
        .containsExactly(Answer.ADMIT, Answer.ADMIT, Answer.ADMIT, Answer.ADMIT, Answer.OVER_SHARE);
    assertThat(offer(shares, "web", 3)).containsOnly(Answer.ADMIT);
    assertThat(shares.offer(new Waiter("web")))
        .as("both at their guarantee and the capacity used up")
        .isEqualTo(Answer.SATURATED);
  }

  @Test
  void borrowingStopsWhileAnotherSourceWaits() {
    FairShare shares = shares(4);
    offer(shares, "perftest", 4);
    Waiter web = new Waiter("web");
    assertThat(shares.offer(web)).isEqualTo(Answer.WAIT);
    assertThat(shares.cancel(web)).isTrue();
    assertThat(shares.cancel(web)).as("only once").isFalse();
    assertThat(shares.waiting("web")).isZero();
    assertThat(shares.release("perftest")).as("nobody waits any more").isEmpty();
    assertThat(shares.offer(new Waiter("perftest"))).isEqualTo(Answer.ADMIT);
  }

  @Test
  void aSourceCannotQueueBeyondItsGuarantee() {
    FairShare shares = shares(4);
    offer(shares, "perftest", 4);
    assertThat(offer(shares, "web", 3))
        .containsExactly(Answer.WAIT, Answer.WAIT, Answer.OVER_SHARE);
    assertThat(shares.waiting("web")).isEqualTo(2);
  }

  @Test
  void sharesWeighTheSplit() {
    weights.put("web", 3);
    FairShare shares = shares(8);
    assertThat(shares.offer(new Waiter("web"))).isEqualTo(Answer.ADMIT);
    // web 3 of 4 shares: 6 slots; perftest 1 of 4: 2 slots.
    assertThat(offer(shares, "perftest", 3))
        .containsExactly(Answer.ADMIT, Answer.ADMIT, Answer.OVER_SHARE);
    assertThat(offer(shares, "web", 5)).containsOnly(Answer.ADMIT);
    assertThat(shares.total()).isEqualTo(8);
  }

  @Test
  void capacityFreedByAnIdleSourceGoesBackToTheBorrower() {
    FairShare shares = shares(4);
    shares.offer(new Waiter("web"));
    assertThat(offer(shares, "perftest", 3))
        .containsExactly(Answer.ADMIT, Answer.ADMIT, Answer.OVER_SHARE);
    shares.release("web"); // web is idle again
    assertThat(offer(shares, "perftest", 2)).containsExactly(Answer.ADMIT, Answer.ADMIT);
    assertThat(shares.total()).isEqualTo(4);
  }
}
