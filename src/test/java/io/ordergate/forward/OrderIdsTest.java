package io.ordergate.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OrderIdsTest {

  private static BackendReply reply(String location, String contentType, String body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (location != null) {
      headers.add("Location", location);
    }
    if (contentType != null) {
      headers.add("Content-Type", contentType);
    }
    return new BackendReply(201, headers, body == null ? null : Buffer.buffer(body));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/orders/ord-7",
        "/orders/ord-7/",
        "/orders/ord-7?view=full",
        "http://orders:8080/orders/ord-7#top"
      })
  void idComesFromTheLastSegmentOfLocation(String location) {
    assertThat(OrderIds.from(reply(location, null, null))).isEqualTo("ord-7");
  }

  @Test
  void locationWinsOverTheJsonBody() {
    assertThat(OrderIds.from(reply("/orders/ord-7", "application/json", "{\"id\": 42}")))
        .isEqualTo("ord-7");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "application/json                | {\"id\": 42}            | 42",
        "application/json; charset=utf-8 | {\"id\": \"ord-9\"}     | ord-9",
        "application/vnd.orders+json     | {\"source\":\"web\",\"id\":7} | 7",
      })
  void idComesFromTopLevelJsonIdWithoutLocation(String contentType, String body, String id) {
    assertThat(OrderIds.from(reply(null, contentType, body))).isEqualTo(id);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "text/plain       | {\"id\": 42}",
        "application/json | {\"id\": 4",
        "application/json | [{\"id\": 42}]",
        "application/json | {\"name\": \"no id\"}",
        "application/json | {\"id\": null}",
        "application/json | {\"id\": {\"nested\": 1}}",
        "application/json | ''",
      })
  void noIdWhenTheBodyDoesNotCarryOne(String contentType, String body) {
    assertThat(OrderIds.from(reply(null, contentType, body))).isNull();
  }

  @Test
  void noIdWithoutLocationContentTypeOrBody() {
    assertThat(OrderIds.from(reply(null, null, "{\"id\": 42}"))).isNull();
    assertThat(OrderIds.from(reply(null, "application/json", null))).isNull();
  }
}
