package io.ordergate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.problem.Failure;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Idempotency-Key protocol against a fake key store. */
class IdempotencyTest {
  private final FakeKeys keys = new FakeKeys();
  private final Idempotency idempotency = new Idempotency(keys);

  private KeyCheck check(String key) {
    Future<KeyCheck> f =
        idempotency.check("shop", key, "req-1", "POST", "/orders", Buffer.buffer("{}"));
    assertThat(f.succeeded()).isTrue();
    return f.result();
  }

  @Test
  void anUnusableKeyIsRefusedWithoutAskingTheStore() {
    KeyCheck c = check("has space");
    assertThat(c).isInstanceOf(KeyCheck.Refused.class);
    assertThat(((KeyCheck.Refused) c).failure()).isEqualTo(Failure.BAD_IDEMPOTENCY_KEY);
    assertThat(keys.calls).isEmpty();
  }

  @Test
  void aGrantedKeyProceedsWithATicketThatHoldsIt() {
    keys.claim = Future.succeededFuture(new Claim.Granted());
    KeyCheck c = check("k1");
    assertThat(c).isInstanceOf(KeyCheck.Proceed.class);
    assertThat(((KeyCheck.Proceed) c).ticket().holdsKey()).isTrue();
    assertThat(keys.calls).containsExactly("claim shop/k1 req-1");
  }

  @Test
  void aFinishedRequestIsReplayed() {
    StoredResponse stored =
        new StoredResponse(201, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("x"));
    keys.claim = Future.succeededFuture(new Claim.Replay(stored));
    assertThat(check("k1")).isEqualTo(new KeyCheck.Replay(stored));
  }

  @Test
  void aKeyInFlightIs409AndAReusedKeyIs422() {
    keys.claim = Future.succeededFuture(new Claim.InFlight());
    assertThat(((KeyCheck.Refused) check("k1")).failure()).isEqualTo(Failure.IDEMPOTENCY_IN_FLIGHT);
    keys.claim = Future.succeededFuture(new Claim.Mismatch());
    assertThat(((KeyCheck.Refused) check("k1")).failure())
        .isEqualTo(Failure.IDEMPOTENCY_KEY_REUSED);
  }

  @Test
  void aStoreThatFailsRefusesTheRequestAsUnavailable() {
    keys.claim = Future.failedFuture(new IllegalStateException("db down"));
    KeyCheck.Refused r = (KeyCheck.Refused) check("k1");
    assertThat(r.failure()).isEqualTo(Failure.IDEMPOTENCY_UNAVAILABLE);
    assertThat(r.detail()).contains("db down");
  }

  @Test
  void theAnswerIsStoredUnderTheKeyBeforeItMayBeSent() {
    Ticket ticket = new Ticket(keys, "shop", "k1", "req-1");
    Future<Void> stored = ticket.answer(201, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer());
    assertThat(keys.calls).containsExactly("complete shop/k1 req-1 201");
    assertThat(stored.succeeded()).isTrue();
  }

  @Test
  void anAnswerThatCouldNotBeStoredIsStillSent() {
    keys.complete = Future.failedFuture(new IllegalStateException("db down"));
    Ticket ticket = new Ticket(keys, "shop", "k1", "req-1");
    assertThat(ticket.answer(201, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer()).succeeded())
        .isTrue();
  }

  @Test
  void aFailureOfARequestThatMayHaveBeenSentStaysUnderTheKey() {
    new Ticket(keys, "shop", "k1", "req-1")
        .failed(Failure.BACKEND_TIMEOUT, Buffer.buffer("{}"), true);
    assertThat(keys.calls).containsExactly("complete shop/k1 req-1 504");
  }

  @Test
  void aFailureOfARequestThatWasNotSentGivesTheKeyBack() {
    new Ticket(keys, "shop", "k1", "req-1")
        .failed(Failure.BREAKER_OPEN, Buffer.buffer("{}"), false);
    assertThat(keys.calls).containsExactly("release shop/k1 req-1");
  }

  @Test
  void withoutAKeyNothingIsStoredOrGivenBack() {
    assertThat(Ticket.NONE.holdsKey()).isFalse();
    assertThat(
            Ticket.NONE
                .answer(201, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer())
                .succeeded())
        .isTrue();
    Ticket.NONE.failed(Failure.BACKEND_TIMEOUT, Buffer.buffer(), true);
    assertThat(keys.calls).isEmpty();
  }

  private static final class FakeKeys implements KeyStore {
    final List<String> calls = new ArrayList<>();
    Future<Claim> claim = Future.succeededFuture(new Claim.Granted());
    Future<Boolean> complete = Future.succeededFuture(true);

    @Override
    public Future<Claim> claim(String sourceId, String key, byte[] requestHash, String requestId) {
      calls.add("claim " + sourceId + "/" + key + " " + requestId);
      return claim;
    }

    @Override
    public Future<Boolean> complete(
        String sourceId, String key, String requestId, StoredResponse response) {
      calls.add("complete " + sourceId + "/" + key + " " + requestId + " " + response.status());
      return complete;
    }

    @Override
    public Future<Void> release(String sourceId, String key, String requestId) {
      calls.add("release " + sourceId + "/" + key + " " + requestId);
      return Future.succeededFuture();
    }
  }
}
