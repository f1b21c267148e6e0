package io.ordergate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.HttpMethod;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CancelRequestTest {

  @Test
  void defaultsToDeleteOfTheOrderAtFiftyPerSecond() {
    CleanupSettings settings = CleanupSettings.from(new Env(Map.of()));
    assertThat(settings.cancelRequest().method()).isEqualTo(HttpMethod.DELETE);
    assertThat(settings.cancelRequest().path("ord-1")).isEqualTo("/orders/ord-1");
    assertThat(settings.ratePerSecond()).isEqualTo(50);
  }

  @Test
  void takesAnotherMethodAndPath() {
    CancelRequest post =
        CleanupSettings.from(
                new Env(
                    Map.of("ORDERGATE_CANCEL_REQUEST", "post /orders/{id}/cancel?reason=cleanup")))
            .cancelRequest();
    assertThat(post.method()).isEqualTo(HttpMethod.POST);
    assertThat(post.path("ord-7")).isEqualTo("/orders/ord-7/cancel?reason=cleanup");
    assertThat(post).hasToString("POST /orders/{id}/cancel?reason=cleanup");
  }

  @Test
  void percentEncodesTheIdSoItStaysOneSegment() {
    CancelRequest delete = CancelRequest.parse(CancelRequest.DEFAULT);
    assertThat(delete.path("a b/c%?#")).isEqualTo("/orders/a%20b%2Fc%25%3F%23");
    assertThat(delete.path("../admin")).isEqualTo("/orders/..%2Fadmin");
    assertThat(delete.path("ü-1.x_~")).isEqualTo("/orders/%C3%BC-1.x_~");
  }

  @Test
  void refusesUnusableRequestsNamingTheVariable() {
    for (String bad :
        new String[] {
          "DELETE",
          "DELETE orders/{id}",
          "DELETE /orders/",
          "GET /orders/{id}",
          "DELETE /orders/{id}/{id}",
          "DELETE /orders/{id} extra",
          "DELETE /ord ers/{id}",
          "DE:LETE /orders/{id}"
        }) {
      assertThatThrownBy(() -> CancelRequest.parse(bad))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("ORDERGATE_CANCEL_REQUEST");
    }
    assertThatThrownBy(() -> CleanupSettings.from(new Env(Map.of("ORDERGATE_CLEANUP_RATE", "0"))))
        .hasMessageStartingWith("ORDERGATE_CLEANUP_RATE");
  }
}
