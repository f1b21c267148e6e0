package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestBackend;
import io.ordergate.support.TestStack;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed and hostile requests get a clear problem document and never reach the order system. */
class BadInputIT {
  static TestStack stack;
  static TestBackend backend;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    stack = TestStack.withFlagsFile(Map.of("ORDERGATE_MAX_BODY_BYTES", "1024"));
    backend = stack.backend;
    gateway = stack.gateway;
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private HttpRequest.Builder orders() {
    return HttpRequest.newBuilder(URI.create(gateway.trafficUrl() + "/orders"));
  }

  private static JsonObject problem(HttpResponse<String> response, int status, String slug) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("type")).isEqualTo("/problems/" + slug);
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("title")).isNotBlank();
    assertThat(body.getString("detail")).isNotBlank();
    assertThat(body.getString("requestId"))
        .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    return body;
  }

  private String raw(String request) throws Exception {
    return GatewayHarness.raw(java.net.URI.create(gateway.trafficUrl()).getPort(), request);
  }

  @Test
  void requestWithoutKeyIsUnauthorized() {
    int before = backend.received().size();
    problem(
        GatewayHarness.send(
            orders()
                .header("X-Upstream-Environment", "production")
                .POST(BodyPublishers.ofString("{}"))),
        401,
        "missing-credential");
    assertThat(backend.received()).hasSize(before);
  }

  @Test
  void unknownKeyIsUnauthorized() {
    problem(
        GatewayHarness.send(
            orders()
                .header("Authorization", "Bearer not-a-key")
                .header("X-Upstream-Environment", "production")
                .POST(BodyPublishers.ofString("{}"))),
        401,
        "unknown-credential");
    problem(
        GatewayHarness.send(
            orders()
                .header("Authorization", "Basic ZGVtbzpkZW1v")
                .header("X-Upstream-Environment", "production")
                .POST(BodyPublishers.ofString("{}"))),
        401,
        "missing-credential");
  }

  @Test
  void missingOrWrongEnvironmentIsMisdirected() {
    JsonObject missing =
        problem(
            GatewayHarness.send(
                orders().header("X-Api-Key", "demo-web-key").POST(BodyPublishers.ofString("{}"))),
            421,
            "wrong-environment");
    assertThat(missing.getString("source")).isEqualTo("web");
    JsonObject wrong =
        problem(
            GatewayHarness.send(
                orders()
                    .header("X-Api-Key", "demo-perftest-key")
                    .header("X-Upstream-Environment", "perf")
                    .POST(BodyPublishers.ofString("{}"))),
            421,
            "wrong-environment");
    assertThat(wrong.getString("detail")).contains("perf").contains("production");
  }

  @Test
  void oversizedBodyIsRefusedByDeclaredLength() {
    int before = backend.received().size();
    problem(
        GatewayHarness.send(
            orders()
                .header("X-Api-Key", "demo-web-key")
                .header("X-Upstream-Environment", "production")
                .POST(BodyPublishers.ofString("x".repeat(2048)))),
        413,
        "body-too-large");
    assertThat(backend.received()).hasSize(before);
  }

  @Test
  void oversizedChunkedBodyIsRefusedWhileStreaming() {
    int before = backend.received().size();
    HttpRequest.BodyPublisher chunked =
        BodyPublishers.fromPublisher(
            subscriber -> {
              SubmissionPublisher<ByteBuffer> publisher = new SubmissionPublisher<>();
              publisher.subscribe(subscriber);
              for (int i = 0; i < 8; i++) {
                publisher.submit(ByteBuffer.wrap("y".repeat(512).getBytes()));
              }
              publisher.close();
            });
    problem(
        GatewayHarness.send(
            orders()
                .header("X-Api-Key", "demo-web-key")
                .header("X-Upstream-Environment", "production")
                .POST(chunked)),
        413,
        "body-too-large");
    assertThat(backend.received()).hasSize(before);
  }

  @Test
  void clientCannotChooseItsSource() {
    HttpResponse<String> response =
        GatewayHarness.send(
            orders()
                .header("X-Api-Key", "demo-web-key")
                .header("X-Upstream-Environment", "production")
                .header("X-Order-Source", "partner")
                .header("X-Request-Id", "req-spoof-1")
                .POST(BodyPublishers.ofString("{\"sku\":\"A\"}")));
    assertThat(response.statusCode()).isEqualTo(201);
    TestBackend.Received seen =
        backend.received().stream()
            .filter(r -> "req-spoof-1".equals(r.headers().get("X-Request-Id")))
            .findFirst()
            .orElseThrow();
    assertThat(seen.headers().getAll("X-Order-Source")).containsExactly("web");
    assertThat(seen.headers().get("Authorization")).isNull();
    assertThat(seen.headers().get("X-Api-Key")).isNull();
    assertThat(seen.headers().get("X-Forwarded-For")).isEqualTo("127.0.0.1");
    assertThat(seen.body()).isEqualTo("{\"sku\":\"A\"}");
  }

  @Test
  void pathsOutsideOrdersAreNotFound() {
    problem(
        GatewayHarness.send(
            HttpRequest.newBuilder(URI.create(gateway.trafficUrl() + "/admin"))
                .header("X-Api-Key", "demo-web-key")),
        404,
        "not-found");
    problem(
        GatewayHarness.send(
            HttpRequest.newBuilder(URI.create(gateway.trafficUrl() + "/ordersX"))
                .header("X-Api-Key", "demo-web-key")),
        404,
        "not-found");
  }

  @Test
  void pathsThatCouldEscapeOrdersNeverReachTheBackend() throws Exception {
    int before = backend.received().size();
    problem(
        GatewayHarness.send(
            HttpRequest.newBuilder(URI.create(gateway.trafficUrl() + "/orders/%2e%2e/admin"))
                .header("X-Api-Key", "demo-web-key")
                .header("X-Upstream-Environment", "production")
                .POST(BodyPublishers.ofString("{}"))),
        400,
        "bad-path");
    String raw =
        raw(
            "POST /orders/../admin HTTP/1.1\r\nHost: x\r\nX-Api-Key: demo-web-key\r\n"
                + "X-Upstream-Environment: production\r\nContent-Length: 2\r\n\r\n{}");
    assertThat(raw).startsWith("HTTP/1.1 400").contains("/problems/bad-path");
    assertThat(backend.received()).hasSize(before);
  }

  @Test
  void aNulInThePathIsRefusedAndCannotPoisonTheAudit() throws Exception {
    String raw = raw("GET /orders/a\u0000b HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(raw).startsWith("HTTP/1.1 400");
    long rows = gateway.settledAuditRows();
    assertThat(gateway.order("web").statusCode()).isEqualTo(201);
    assertThat(gateway.awaitAuditRows(rows + 1, java.time.Duration.ofSeconds(10)))
        .isEqualTo(rows + 1);
    assertThat(gateway.ops("/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void smugglingShapedFramingIsRefused() throws Exception {
    int before = backend.received().size();
    // Content-Length together with Transfer-Encoding: see HostileClientIT.
    String odd =
        raw(
            "POST /orders HTTP/1.1\r\nHost: x\r\nX-Api-Key: demo-web-key\r\nX-Upstream-Environment: production\r\n"
                + "Transfer-Encoding: xchunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    assertThat(odd).startsWith("HTTP/1.1 400").contains("/problems/malformed-request");
    String noHost =
        raw(
            "POST /orders HTTP/1.1\r\nX-Api-Key: demo-web-key\r\nX-Upstream-Environment: production\r\n"
                + "Content-Length: 2\r\n\r\n{}");
    assertThat(noHost).startsWith("HTTP/1.1 400");
    String twoHosts =
        raw(
            "POST /orders HTTP/1.1\r\nHost: a\r\nHost: b\r\nX-Api-Key: demo-web-key\r\n"
                + "X-Upstream-Environment: production\r\nContent-Length: 2\r\n\r\n{}");
    assertThat(twoHosts).startsWith("HTTP/1.1 400");
    String matrixDots =
        raw("GET /orders/..;/admin HTTP/1.1\r\nHost: x\r\nX-Api-Key: demo-web-key\r\n\r\n");
    assertThat(matrixDots).startsWith("HTTP/1.1 400").contains("/problems/bad-path");
    assertThat(backend.received()).hasSize(before);
  }

  @Test
  void anAbsoluteFormTargetReachesTheBackendInOriginForm() throws Exception {
    String raw =
        raw(
            "POST http://evil.example/orders?x=1 HTTP/1.1\r\nHost: x\r\nX-Api-Key: demo-web-key\r\n"
                + "X-Upstream-Environment: production\r\nX-Request-Id: req-absolute\r\nContent-Length: 2\r\n\r\n{}");
    assertThat(raw).startsWith("HTTP/1.1 201");
    TestBackend.Received seen =
        backend.received().stream()
            .filter(r -> "req-absolute".equals(r.headers().get("X-Request-Id")))
            .findFirst()
            .orElseThrow();
    assertThat(seen.uri()).isEqualTo("/orders?x=1");
  }

  @Test
  void anEmptyWriteReachesTheBackendWithALengthOfZero() {
    HttpResponse<String> response =
        GatewayHarness.send(
            orders()
                .header("X-Api-Key", "demo-web-key")
                .header("X-Upstream-Environment", "production")
                .header("X-Request-Id", "req-empty")
                .POST(BodyPublishers.noBody()));
    assertThat(response.statusCode()).isEqualTo(201);
    TestBackend.Received seen =
        backend.received().stream()
            .filter(r -> "req-empty".equals(r.headers().get("X-Request-Id")))
            .findFirst()
            .orElseThrow();
    assertThat(seen.headers().get("Content-Length")).isEqualTo("0");
  }

  @Test
  void cleartextHttp2IsNotSpoken() throws Exception {
    int before = backend.received().size();
    String raw = raw("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    // Vert.x alone would answer a bare 501 outside the request path; the gateway answers 505 with
    // a problem document, counted and audited like any other refusal.
    assertThat(raw)
        .startsWith("HTTP/2.0 505")
        .contains("/problems/http-version-not-supported")
        .doesNotContain("PRI");
    assertThat(backend.received()).hasSize(before);
  }

  @Test
  void oversizedHeadersGetAProblemDocument() throws Exception {
    String raw =
        raw("GET /orders HTTP/1.1\r\nHost: x\r\nX-Filler: " + "a".repeat(40_000) + "\r\n\r\n");
    assertThat(raw)
        .startsWith("HTTP/1.1 431")
        .contains("application/problem+json")
        .contains("/problems/headers-too-large");
  }

  @Test
  void garbageIsAnsweredWithAProblemDocument() throws Exception {
    String raw = raw("POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n{}");
    assertThat(raw).startsWith("HTTP/1.1 400").contains("application/problem+json");
  }

  @Test
  void unsupportedMethodIsRefused() {
    problem(
        GatewayHarness.send(
            orders()
                .header("X-Api-Key", "demo-web-key")
                .header("X-Upstream-Environment", "production")
                .method("TRACE", BodyPublishers.noBody())),
        405,
        "method-not-allowed");
  }

  @Test
  void opsEndpointsNeedTheToken() {
    HttpResponse<String> anonymous =
        GatewayHarness.send(HttpRequest.newBuilder(URI.create(gateway.opsUrl() + "/ops/sources")));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    HttpResponse<String> wrong =
        GatewayHarness.send(
            HttpRequest.newBuilder(URI.create(gateway.opsUrl() + "/ops/sources"))
                .header("Authorization", "Bearer wrong-token-wrong-token"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(gateway.ops("/ops/sources").statusCode()).isEqualTo(200);
  }
}
