package io.ordergate.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirstHeadsTest {
  final List<String> evicted = new ArrayList<>();

  FirstHeads.Entry entry(String name, boolean[] active) {
    return new FirstHeads.Entry(() -> active[0], () -> evicted.add(name));
  }

  FirstHeads.Entry entry(String name) {
    return entry(name, new boolean[] {true});
  }

  @Test
  void aQuarterOfTheConnectionCapMayWaitForAFirstHeadAtMostTheCeiling() {
    assertThat(FirstHeads.limitFor(10_000)).isEqualTo(FirstHeads.CEILING);
    assertThat(FirstHeads.limitFor(1_000_000)).isEqualTo(FirstHeads.CEILING);
    assertThat(FirstHeads.limitFor(4 * FirstHeads.CEILING)).isEqualTo(FirstHeads.CEILING);
    assertThat(FirstHeads.limitFor(1_000)).isEqualTo(250);
    assertThat(FirstHeads.limitFor(40)).isEqualTo(10);
    assertThat(FirstHeads.limitFor(3)).isEqualTo(1);
    assertThatThrownBy(() -> new FirstHeads(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void beyondTheLimitTheConnectionThatWaitedLongestMakesWay() {
    FirstHeads heads = new FirstHeads(2);
    FirstHeads.Entry first = entry("first");
    heads.add(first);
    heads.add(entry("second"));
    assertThat(heads.overLimit()).isFalse();
    heads.add(entry("third"));
    assertThat(heads.overLimit()).isTrue();
    assertThat(heads.evictOldest()).isTrue();
    assertThat(evicted).containsExactly("first");
    assertThat(heads.size()).isEqualTo(2);
    assertThat(heads.overLimit()).isFalse();
    heads.done(first); // its close, after the eviction: not counted twice
    assertThat(heads.size()).isEqualTo(2);
  }

  @Test
  void connectionsThatSentTheirHeadOrClosedAreNeverEvicted() {
    FirstHeads heads = new FirstHeads(10);
    FirstHeads.Entry working = entry("working");
    boolean[] closedActive = {true};
    FirstHeads.Entry closed = entry("closed", closedActive);
    heads.add(working);
    heads.add(closed);
    heads.add(entry("slow"));
    heads.done(working); // its head arrived
    heads.done(working); // twice does no harm
    closedActive[0] = false; // closed, its close listener not run yet
    assertThat(heads.size()).isEqualTo(2);
    assertThat(heads.evictOldest()).isTrue();
    assertThat(evicted).containsExactly("slow");
    assertThat(heads.size()).isZero();
    assertThat(heads.evictOldest()).isFalse();
  }
}
