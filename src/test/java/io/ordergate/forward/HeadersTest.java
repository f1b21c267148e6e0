package io.ordergate.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadersTest {

  private static ForwardRequest request(MultiMap headers) {
    return new ForwardRequest(
        HttpMethod.POST,
        "/orders",
        headers,
        Buffer.buffer("{}"),
        "web",
        "req-1",
        "10.0.0.7",
        "gate.example");
  }

  private static MultiMap headers(String... namesAndValues) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return map;
  }

  @Test
  void hopByHopHeadersAndThoseNamedInConnectionAreNotForwarded() {
    MultiMap out =
        Headers.forBackend(
            request(
                headers(
                    "Connection", "keep-alive, X-Debug-Trace",
                    "Keep-Alive", "timeout=5",
                    "TE", "trailers",
                    "Trailer", "Expires",
                    "Transfer-Encoding", "chunked",
                    "Upgrade", "h2c",
                    "Proxy-Authorization", "Basic Zm9vOmJhcg==",
                    "X-Debug-Trace", "on",
                    "Content-Type", "application/json")));

    assertThat(out.names())
        .doesNotContainAnyElementsOf(
            List.of(
                "Connection",
                "Keep-Alive",
                "TE",
                "Trailer",
                "Transfer-Encoding",
                "Upgrade",
                "Proxy-Authorization",
                "X-Debug-Trace"));
    assertThat(out.get("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void credentialsHostAndLengthStayAtTheGateway() {
    MultiMap out =
        Headers.forBackend(
            request(
                headers(
                    "Authorization", "Bearer demo-web-key",
                    "X-Api-Key", "demo-web-key",
                    "Host", "gate.example",
                    "Content-Length", "2",
                    "Accept", "application/json")));

    assertThat(out.contains("Authorization")).isFalse();
    assertThat(out.contains("X-Api-Key")).isFalse();
    assertThat(out.contains("Host")).isFalse();
    assertThat(out.contains("Content-Length")).isFalse();
    assertThat(out.get("Accept")).isEqualTo("application/json");
  }

  @Test
  void clientCannotChooseItsOwnSourceOrRequestId() {
    MultiMap out =
        Headers.forBackend(
            request(
                headers(
                    "x-order-source", "partner",
                    "X-Order-Source", "mobile",
                    "X-Request-Id", "spoofed")));

    assertThat(out.getAll("X-Order-Source")).containsExactly("web");
    assertThat(out.getAll("X-Request-Id")).containsExactly("req-1");
  }

  @Test
  void clientAddressIsAppendedToForwardedFor() {
    MultiMap out =
        Headers.forBackend(
            request(
                headers(
                    "X-Forwarded-For", "203.0.113.1",
                    "X-Forwarded-For", "198.51.100.2")));

    assertThat(out.getAll("X-Forwarded-For"))
        .containsExactly("203.0.113.1, 198.51.100.2, 10.0.0.7");
  }

  @Test
  void forwardedHostAndProtoAreTheGatewaysOwnNotTheClients() {
    MultiMap out =
        Headers.forBackend(
            request(headers("X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https")));
    assertThat(out.getAll("X-Forwarded-Host")).containsExactly("gate.example");
    assertThat(out.getAll("X-Forwarded-Proto")).containsExactly("http");
  }

  @Test
  void underscoreSpellingsAndOtherAddressHeadersCannotSpoofTheSource() {
    MultiMap out =
        Headers.forBackend(
            request(
                headers(
                    "X_Order_Source",
                    "evil",
                    "Forwarded",
                    "for=6.6.6.6;host=evil.example",
                    "X-Real-IP",
                    "6.6.6.6",
                    "X-Forwarded-Port",
                    "1",
                    "Connection",
                    "keep-alive",
                    "Connection",
                    "X-Secret",
                    "X-Secret",
                    "s")));
    assertThat(out.names())
        .doesNotContain("X_Order_Source", "Forwarded", "X-Real-IP", "X-Forwarded-Port", "X-Secret");
    assertThat(out.getAll("X-Order-Source")).containsExactly("web");
  }

  @Test
  void headAndNotModifiedAnswersKeepTheirLength() {
    assertThat(Headers.forClient(headers("Content-Length", "1234"), true).get("Content-Length"))
        .isEqualTo("1234");
    assertThat(Headers.forClient(headers("Content-Length", "1234"), false).get("Content-Length"))
        .isNull();
  }

  @Test
  void clientAddressStartsForwardedForWhenThereIsNone() {
    assertThat(Headers.forBackend(request(headers())).get("X-Forwarded-For")).isEqualTo("10.0.0.7");
  }

  @Test
  void responseKeepsEndToEndHeadersAndDropsHopByHopAndLength() {
    MultiMap out =
        Headers.forClient(
            headers(
                "Connection", "keep-alive, X-Backend-Hop",
                "Keep-Alive", "timeout=5",
                "Transfer-Encoding", "chunked",
                "X-Backend-Hop", "node-3",
                "Content-Length", "42",
                "Location", "/orders/ord-7",
                "Content-Type", "application/json",
                "Set-Cookie", "a=1",
                "Set-Cookie", "b=2"),
            false);

    assertThat(out.names()).containsExactlyInAnyOrder("Location", "Content-Type", "Set-Cookie");
    assertThat(out.get("Location")).isEqualTo("/orders/ord-7");
    assertThat(out.getAll("Set-Cookie")).containsExactly("a=1", "b=2");
  }
}
