package io.ordergate.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.forward.ForwardFailure.Delivery;
import io.ordergate.problem.Failure;
import io.ordergate.problem.GateException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Whether a failed forward may have reached the order system: the fact its callers act on. */
class ForwardFailuresTest {
  private final ForwardFailures failures = new ForwardFailures("backend", 8070, 2_000, false);

  @Test
  void anOpenBreakerOrAFullBulkheadSentNothing() {
    ForwardFailure open = failures.breakerOpen("OPEN");
    assertThat(open.failure()).isEqualTo(Failure.BREAKER_OPEN);
    assertThat(open.maybeSent()).isFalse();
    ForwardFailure full = failures.bulkheadFull(10);
    assertThat(full.failure()).isEqualTo(Failure.BULKHEAD_FULL);
    assertThat(full.maybeSent()).isFalse();
  }

  @Test
  void aTimeOutBeforeTheRequestHadAConnectionSentNothing() {
    ForwardFailure f = failures.timedOut(false);
    assertThat(f.failure()).isEqualTo(Failure.BACKEND_TIMEOUT);
    assertThat(f.delivery()).isEqualTo(Delivery.NOT_SENT);
    assertThat(f.getMessage()).isEqualTo("no connection to the order system within 2000 ms");
    assertThat(failures.lateConnection().maybeSent()).isFalse();
  }

  @Test
  void aTimeOutAfterTheRequestWasHandedOverMayHaveSentIt() {
    ForwardFailure f = failures.timedOut(true);
    assertThat(f.failure()).isEqualTo(Failure.BACKEND_TIMEOUT);
    assertThat(f.delivery()).isEqualTo(Delivery.MAYBE_SENT);
    assertThat(f.getMessage()).isEqualTo("the order system did not answer within 2000 ms");
  }

  @Test
  void aRefusedConnectionSentNothing() {
    ForwardFailure f = failures.classify(new ConnectException("Connection refused"), false);
    assertThat(f.failure()).isEqualTo(Failure.BACKEND_UNREACHABLE);
    assertThat(f.maybeSent()).isFalse();
    assertThat(f.getMessage())
        .isEqualTo("cannot connect to the order system at backend:8070: Connection refused");
  }

  @Test
  void anyErrorBeforeTheRequestHadAConnectionSentNothingWhateverItsClass() {
    assertThat(failures.classify(new IllegalStateException("pool closed"), false).maybeSent())
        .isFalse();
    assertThat(failures.classify(new TimeoutException("pool wait"), false).maybeSent()).isFalse();
  }

  @Test
  void aConnectionClosedAfterTheRequestWasHandedOverMayHaveSentIt() {
    ForwardFailure f = failures.classify(new HttpClosedException("closed"), true);
    assertThat(f.failure()).isEqualTo(Failure.BACKEND_UNREACHABLE);
    assertThat(f.maybeSent()).isTrue();
    assertThat(f.getMessage()).isEqualTo("the order system closed the connection before answering");
    assertThat(failures.classify(new IllegalStateException("reset"), true).maybeSent()).isTrue();
  }

  @Test
  void aPipelinedRequestWhoseConnectionClosedIsInDoubtAndSaysWhy() {
    ForwardFailures pipelined = new ForwardFailures("backend", 8070, 2_000, true);
    ForwardFailure f = pipelined.classify(new HttpClosedException("closed"), true);
    assertThat(f.failure()).isEqualTo(Failure.BACKEND_UNREACHABLE);
    assertThat(f.maybeSent()).isTrue();
    assertThat(f.getMessage())
        .contains("pipelined")
        .contains("the order may have been taken, ask the order system before sending it again");
  }

  @Test
  void aForwardFailureKeepsItsOwnVerdict() {
    ForwardFailure notSent = failures.breakerOpen("OPEN");
    assertThat(failures.classify(notSent, true)).isSameAs(notSent);
  }

  @Test
  void anythingElseThanAForwardFailureMayHaveBeenSent() {
    ForwardFailure unexpected = ForwardFailure.of(new IllegalStateException("bug"));
    assertThat(unexpected.failure()).isEqualTo(Failure.INTERNAL);
    assertThat(unexpected.maybeSent()).isTrue();
    ForwardFailure typed = ForwardFailure.of(new GateException(Failure.BACKEND_TIMEOUT, "t"));
    assertThat(typed.failure()).isEqualTo(Failure.BACKEND_TIMEOUT);
    assertThat(typed.maybeSent()).isTrue();
  }
}
