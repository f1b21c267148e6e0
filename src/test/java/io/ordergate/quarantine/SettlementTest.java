package io.ordergate.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.forward.BackendReply;
import io.ordergate.forward.ForwardFailure;
import io.ordergate.forward.ForwardFailure.Delivery;
import io.ordergate.problem.Failure;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The release step that decides what becomes of an order once its forward ended. */
class SettlementTest {
  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
  private static final Claimed HELD =
      new Claimed(
          42,
          "shop",
          "req-1",
          "POST",
          "/orders",
          MultiMap.caseInsensitiveMultiMap(),
          Buffer.buffer("{}"),
          QuarantineStore.HELD);

  @Test
  void anAnsweredOrderIsReleasedWithTheBackendsStatusAndOrderId() {
    BackendReply reply =
        new BackendReply(
            201,
            MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json"),
            Buffer.buffer("{\"id\":\"ord-9\"}"));
    Settlement s = Settlement.of(HELD, reply, null, "INC-1", AT);
    assertThat(s.kind()).isEqualTo(Settlement.Kind.RELEASED);
    assertThat(s.state()).isEqualTo(QuarantineStore.RELEASED);
    assertThat(s.storedStatus()).isEqualTo(201);
    assertThat(s.orderId()).isEqualTo("ord-9");
    assertThat(s.reason()).isEqualTo("INC-1");
    assertThat(s.answeredAt()).isEqualTo(AT);
    assertThat(s.note()).isNull();
  }

  @Test
  void anErrorAnswerIsStillReleasedNotRetried() {
    BackendReply reply = new BackendReply(500, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer());
    assertThat(Settlement.of(HELD, reply, null, "INC-1", AT).kind())
        .isEqualTo(Settlement.Kind.RELEASED);
  }

  @Test
  void anOrderThatWasNotSentGoesBackToItsPreviousStateWithoutTheReleasesReason() {
    ForwardFailure open =
        new ForwardFailure(Failure.BREAKER_OPEN, "calls are paused", Delivery.NOT_SENT);
    Settlement s = Settlement.of(HELD, null, open, "INC-1", AT);
    assertThat(s.kind()).isEqualTo(Settlement.Kind.NOT_SENT);
    assertThat(s.state()).isEqualTo(QuarantineStore.HELD);
    assertThat(s.reason()).isNull();
    assertThat(s.answeredAt()).isNull();
    assertThat(s.storedStatus()).isNull();
    assertThat(s.note()).isEqualTo("not sent: calls are paused");

    Claimed inDoubtBefore =
        new Claimed(
            42, "shop", "req-1", "POST", "/orders", HELD.headers(), HELD.body(), "in_doubt");
    assertThat(Settlement.of(inDoubtBefore, null, open, "INC-1", AT).state())
        .isEqualTo(QuarantineStore.IN_DOUBT);
  }

  @Test
  void anOrderThatMayHaveBeenSentIsInDoubtAndNeverSentAgain() {
    ForwardFailure timeout =
        new ForwardFailure(
            Failure.BACKEND_TIMEOUT, "no answer within 2000 ms", Delivery.MAYBE_SENT);
    Settlement s = Settlement.of(HELD, null, timeout, "INC-1", AT);
    assertThat(s.kind()).isEqualTo(Settlement.Kind.IN_DOUBT);
    assertThat(s.state()).isEqualTo(QuarantineStore.IN_DOUBT);
    assertThat(s.status()).isEqualTo(504);
    assertThat(s.storedStatus()).isNull();
    assertThat(s.note()).isEqualTo("backend-timeout: no answer within 2000 ms");
    assertThat(s.reason()).isEqualTo("INC-1");
  }

  @Test
  void anUnexpectedFailureCountsAsMaybeSent() {
    Settlement s = Settlement.of(HELD, null, new IllegalStateException("bug"), "INC-1", AT);
    assertThat(s.kind()).isEqualTo(Settlement.Kind.IN_DOUBT);
  }
}
