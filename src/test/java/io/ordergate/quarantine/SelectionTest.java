package io.ordergate.quarantine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordergate.db.StoredHeaders;
import io.ordergate.forward.ForwardRequest;
import io.ordergate.forward.Headers;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectionTest {

  @Test
  void needsASourceOrIdsAndAReason() {
    assertThatThrownBy(() -> new Selection(null, List.of(), "r")).hasMessageContaining("source");
    assertThatThrownBy(() -> new Selection("web", List.of(), " ")).hasMessageContaining("reason");
    assertThatThrownBy(() -> new Selection("Bad Source", List.of(), "r"))
        .hasMessageContaining("source must match");
    assertThatThrownBy(() -> new Selection("web", List.of(0L), "r"))
        .hasMessageContaining("positive");
    assertThat(new Selection(null, List.of(3L), " why ").reason()).isEqualTo("why");
    assertThat(new Selection("web", null, "r").byIds()).isFalse();
  }

  @Test
  void parsesIdsFromTheCommandLine() {
    assertThat(Selection.parseIds("4, 5,9")).containsExactly(4L, 5L, 9L);
    assertThat(Selection.parseIds(null)).isEmpty();
    assertThatThrownBy(() -> Selection.parseIds("4,x")).hasMessageContaining("whole numbers");
  }

  @Test
  void aReleasedOrderIsForwardedWithTheHeadersItWouldHaveHadAtIntake() {
    MultiMap client =
        MultiMap.caseInsensitiveMultiMap()
            .add("Authorization", "Bearer secret")
            .add("X-Trace", "t-1")
            .add("X-Forwarded-For", "10.0.0.1")
            .add("Content-Type", "application/json");
    ForwardRequest atIntake =
        new ForwardRequest(
            HttpMethod.POST,
            "/orders?x=1",
            client,
            Buffer.buffer("{}"),
            "web",
            "req-1",
            "10.0.0.2",
            "gateway.example:8080");
    MultiMap stored = StoredHeaders.fromJson(StoredHeaders.toJson(Headers.forBackend(atIntake)));

    Claimed claimed =
        new Claimed(7, "web", "req-1", "POST", "/orders?x=1", stored, Buffer.buffer("{}"), "held");
    MultiMap replayed = Headers.forBackend(claimed.toForwardRequest());

    assertThat(lines(replayed))
        .containsExactlyInAnyOrderElementsOf(lines(Headers.forBackend(atIntake)));
    assertThat(replayed.get("X-Forwarded-For")).isEqualTo("10.0.0.1, 10.0.0.2");
    assertThat(replayed.get("Authorization")).isNull();
    assertThat(claimed.path()).isEqualTo("/orders");
  }

  private static List<String> lines(MultiMap headers) {
    return headers.entries().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
  }
}
