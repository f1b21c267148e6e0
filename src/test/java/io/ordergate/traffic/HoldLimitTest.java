package io.ordergate.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.quarantine.HeldOrder;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A held flood waits for PostgreSQL only up to a bound; beyond it, holds fail at once. */
class HoldLimitTest {
  final List<Promise<Long>> waiting = new ArrayList<>();
  final HoldLimit limit =
      new HoldLimit(
          order -> {
            Promise<Long> p = Promise.promise();
            waiting.add(p);
            return p.future();
          },
          2);

  static HeldOrder order() {
    return new HeldOrder(
        "perftest",
        "r-1",
        "POST",
        "/orders",
        MultiMap.caseInsensitiveMultiMap(),
        Buffer.buffer("{}"),
        Instant.EPOCH);
  }

  @Test
  void beyondTheBoundAHoldFailsWithoutReachingTheDatabase() {
    Future<Long> a = limit.apply(order());
    Future<Long> b = limit.apply(order());
    Future<Long> c = limit.apply(order());
    assertThat(waiting).hasSize(2);
    assertThat(a.isComplete()).isFalse();
    assertThat(b.isComplete()).isFalse();
    assertThat(c.failed()).isTrue();
    assertThat(c.cause().getMessage()).contains("already waiting to be stored in quarantine");
    assertThat(limit.pending()).isEqualTo(2);

    waiting.get(0).complete(7L);
    assertThat(a.result()).isEqualTo(7L);
    assertThat(limit.pending()).isEqualTo(1);
    Future<Long> d = limit.apply(order());
    assertThat(d.isComplete()).isFalse(); // a slot came free
    waiting.get(1).fail("database down");
    waiting.get(2).complete(8L);
    assertThat(limit.pending()).isZero();
  }

  @Test
  void aRefusedHoldIsAnsweredQuarantineUnavailableAndNeverForwarded() {
    HoldLimit none = new HoldLimit(order -> Promise.<Long>promise().future(), 1); // one hold hangs
    none.apply(order());
    List<Object> forwarded = new ArrayList<>();
    Dispatch dispatch =
        new Dispatch(
            request -> {
              forwarded.add(request);
              return Future.failedFuture("must not be called");
            },
            none,
            source -> {});
    Future<?> answer =
        dispatch.hold(
            new io.ordergate.forward.ForwardRequest(
                io.vertx.core.http.HttpMethod.POST,
                "/orders",
                MultiMap.caseInsensitiveMultiMap(),
                Buffer.buffer("{}"),
                "perftest",
                "r-2",
                "127.0.0.1",
                "gate"),
            Instant.EPOCH);
    assertThat(answer.failed()).isTrue();
    assertThat(((io.ordergate.problem.GateException) answer.cause()).failure())
        .isEqualTo(io.ordergate.problem.Failure.QUARANTINE_UNAVAILABLE);
    assertThat(forwarded).isEmpty();
  }
}
