package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.config.IdempotencySettings;
import io.ordergate.idempotency.IdempotencyStore;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestBackend;
import io.ordergate.support.TestStack;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Idempotency-Key: at most one order per source and key, whatever the client repeats. */
class IdempotencyIT {
  static TestStack stack;
  static TestBackend backend;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    stack = TestStack.withFlagsFile(Map.of());
    backend = stack.backend;
    gateway = stack.gateway;
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @AfterEach
  void reset() {
    backend.delay(0);
    backend.answerWith(201);
  }

  private static HttpResponse<String> keyed(String source, String key, String body) {
    return GatewayHarness.send(gateway.orderRequest(source, body).header("Idempotency-Key", key));
  }

  private static long receivedWithBody(String body) {
    return backend.received().stream().filter(r -> r.body().equals(body)).count();
  }

  @Test
  void repeatOfAFinishedRequestGetsTheStoredResponseWithoutASecondOrder() {
    String key = UUID.randomUUID().toString();
    String body = "{\"sku\":\"R-1\",\"key\":\"" + key + "\"}";

    HttpResponse<String> first = keyed("web", key, body);
    HttpResponse<String> repeat = keyed("web", key, body);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(repeat.statusCode()).isEqualTo(201);
    assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(repeat.body()).isEqualTo(first.body());
    assertThat(repeat.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(repeat.headers().firstValue("X-Request-Id"))
        .isNotEqualTo(first.headers().firstValue("X-Request-Id"));
    assertThat(receivedWithBody(body)).isEqualTo(1);
  }

  @Test
  void sameKeyFromAnotherSourceIsAnotherRequest() {
    String key = UUID.randomUUID().toString();
    String body = "{\"sku\":\"S-1\",\"key\":\"" + key + "\"}";

    assertThat(keyed("web", key, body).statusCode()).isEqualTo(201);
    HttpResponse<String> mobile = keyed("mobile", key, body);

    assertThat(mobile.statusCode()).isEqualTo(201);
    assertThat(mobile.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(receivedWithBody(body)).isEqualTo(2);
  }

  @Test
  void repeatWhileTheFirstIsStillRunningGets409() throws Exception {
    String key = UUID.randomUUID().toString();
    String body = "{\"sku\":\"F-1\",\"key\":\"" + key + "\"}";
    backend.delay(3_000);
    CompletableFuture<HttpResponse<String>> first =
        CompletableFuture.supplyAsync(() -> keyed("web", key, body));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (receivedWithBody(body) == 0 && System.nanoTime() < deadline) {
      GatewayHarness.sleep(20);
    }

    HttpResponse<String> repeat = keyed("web", key, body);

    assertThat(repeat.statusCode()).isEqualTo(409);
    assertThat(repeat.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(new JsonObject(repeat.body()).getString("type")).endsWith("/idempotency-in-flight");
    assertThat(first.get().statusCode()).isEqualTo(201);
    assertThat(keyed("web", key, body).headers().firstValue("Idempotent-Replayed"))
        .hasValue("true");
    assertThat(receivedWithBody(body)).isEqualTo(1);
  }

  @Test
  void sameKeyWithADifferentBodyGets422() {
    String key = UUID.randomUUID().toString();
    assertThat(keyed("web", key, "{\"sku\":\"B-1\"}").statusCode()).isEqualTo(201);
    int before = backend.received().size();

    HttpResponse<String> other = keyed("web", key, "{\"sku\":\"B-2\"}");

    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(new JsonObject(other.body()).getString("type")).endsWith("/idempotency-key-reused");
    assertThat(backend.received()).hasSize(before);
  }

  @Test
  void backendErrorIsStoredForRepeats() {
    String stored = UUID.randomUUID().toString();
    backend.answerWith(500);
    assertThat(keyed("web", stored, "{\"n\":1}").statusCode()).isEqualTo(500);
    backend.answerWith(201);
    HttpResponse<String> replay = keyed("web", stored, "{\"n\":1}");
    assertThat(replay.statusCode())
        .as("the order system's own answer is the answer")
        .isEqualTo(500);
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
  }

  @Test
  void retryAfterATimeOutNeverPlacesTheOrderASecondTime() {
    String key = UUID.randomUUID().toString();
    String body = "{\"n\":2,\"key\":\"" + key + "\"}";
    backend.delay(60_000); // longer than the gateway's backend time limit
    assertThat(keyed("web", key, body).statusCode()).isEqualTo(504);
    assertThat(receivedWithBody(body))
        .as("the order system got the order before the gateway gave up")
        .isEqualTo(1);
    backend.delay(0);

    HttpResponse<String> retry = keyed("web", key, body);
    while (retry.statusCode() == 409) { // the 504 may still be being stored
      GatewayHarness.sleep(50);
      retry = keyed("web", key, body);
    }

    assertThat(retry.statusCode())
        .as("the time-out is the answer: the first may have been placed")
        .isEqualTo(504);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(receivedWithBody(body))
        .as("the order system never gets the keyed order twice")
        .isEqualTo(1);
  }

  @Test
  void unusableKeyIsRefusedBeforeAnythingIsSent() {
    int before = backend.received().size();

    HttpResponse<String> response = keyed("web", "x".repeat(256), "{}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(response.body()).getString("type")).endsWith("/bad-idempotency-key");
    assertThat(backend.received()).hasSize(before);
  }

  @Test
  void readsIgnoreTheKey() {
    String key = UUID.randomUUID().toString();
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> read =
          GatewayHarness.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(gateway.trafficUrl() + "/orders/o-1"))
                  .header("X-Api-Key", "demo-web-key")
                  .header("X-Upstream-Environment", "production")
                  .header("Idempotency-Key", key));
      assertThat(read.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }
  }

  /** A gateway that remembers keys for one second. */
  @Nested
  class Expiry {
    @Test
    void keyIsUsableAgainOnceItsRetentionEndsAndExpiredKeysArePurged() {
      try (TestStack shortLived = TestStack.withFlagsFile(Map.of(IdempotencySettings.TTL, "1s"))) {
        GatewayHarness gw = shortLived.gateway;
        String key = UUID.randomUUID().toString();
        assertThat(
                GatewayHarness.send(
                        gw.orderRequest("web", "{\"v\":1}").header("Idempotency-Key", key))
                    .statusCode())
            .isEqualTo(201);
        GatewayHarness.sleep(1_500);

        HttpResponse<String> later =
            GatewayHarness.send(gw.orderRequest("web", "{\"v\":2}").header("Idempotency-Key", key));

        assertThat(later.statusCode())
            .as("a different body is fine once the key expired")
            .isEqualTo(201);
        assertThat(later.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(shortLived.backend.received()).hasSize(2);

        GatewayHarness.sleep(1_500);
        IdempotencyStore store =
            new IdempotencyStore(
                gw.pool(), new IdempotencySettings(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThat(Await.result(store.purge(1_000), 30)).isEqualTo(1);
        long left =
            Await.result(
                gw.pool()
                    .query("SELECT count(*) FROM idempotency_keys")
                    .execute()
                    .map(rows -> rows.iterator().next().getLong(0)),
                30);
        assertThat(left).isZero();
      }
    }
  }
}
