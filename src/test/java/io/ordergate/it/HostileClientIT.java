package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.support.GatewayHarness;
import io.ordergate.support.RawConnection;
import io.ordergate.support.TestBackend;
import io.ordergate.support.TestStack;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that misbehave on purpose, at a scale that fits CI: slow heads, smuggling-shaped framing,
 * versions the gateway does not speak, broken chunked bodies, more connections than the cap. Each
 * gets a problem document or a closed connection, is counted, and legitimate traffic goes on.
 */
class HostileClientIT {
  private static final String HEAD =
      "POST /orders HTTP/1.1\r\nHost: x\r\nX-Api-Key: demo-web-key\r\n"
          + "X-Upstream-Environment: production\r\nContent-Type: application/json\r\n";

  static TestStack stack;
  static TestBackend backend;
  static GatewayHarness gateway;
  static int port;

  @BeforeAll
  static void start() {
    stack =
        TestStack.withFlagsFile(
            Map.of(
                "ORDERGATE_HEADER_TIMEOUT_MS", "1000",
                "ORDERGATE_REQUEST_TIMEOUT_MS", "5000",
                "ORDERGATE_MAX_CONNECTIONS", "40",
                "ORDERGATE_MAX_BODY_BYTES", "65536",
                "ORDERGATE_BODY_BUFFER_BYTES", "262144",
                "ORDERGATE_AUTH_FAILURES_PER_MINUTE", "60"));
    backend = stack.backend;
    gateway = stack.gateway;
    port = URI.create(gateway.trafficUrl()).getPort();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  /** {@code ordergate_requests_total} for a decision, summed over sources. */
  static double counted(String decision) {
    String metrics = gateway.ops("/metrics").body();
    Matcher m =
        Pattern.compile(
                "ordergate_requests_total\\{[^}]*decision=\"" + decision + "\"[^}]*} ([0-9.E]+)")
            .matcher(metrics);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  static double metric(String name) {
    Matcher m =
        Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.E]+)$")
            .matcher(gateway.ops("/metrics").body());
    return m.find() ? Double.parseDouble(m.group(2)) : -1;
  }

  @Test
  void contentLengthTogetherWithChunkedIsRefusedAndTheConnectionClosed() throws Exception {
    int before = backend.received().size();
    double refusedBefore = counted("malformed-request");
    // A front proxy that frames by Content-Length sees one request; read as chunked, the "body"
    // would end early and a second order would follow on the same connection.
    String hidden = HEAD.replace("POST", "POST") + "Content-Length: 2\r\n\r\n{}";
    String chunkedBody = "2\r\n{}\r\n0\r\n\r\n" + hidden;
    try (RawConnection c = new RawConnection(port)) {
      c.send(
          HEAD
              + "Content-Length: "
              + chunkedBody.length()
              + "\r\nTransfer-Encoding: chunked\r\n\r\n"
              + chunkedBody);
      String answer = c.readUntilClosed(10_000);
      assertThat(answer)
          .startsWith("HTTP/1.1 400")
          .contains("application/problem+json")
          .contains("Content-Length and Transfer-Encoding");
      assertThat(answer.split("HTTP/1.1 ", -1)).hasSize(2); // one answer, not two
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(backend.received()).hasSize(before);
    assertThat(counted("malformed-request")).isGreaterThan(refusedBefore);
  }

  @Test
  void versionsOtherThanHttp11And10GetAProblemDocumentAndAreCounted() throws Exception {
    double before = counted("http-version-not-supported");
    for (String request :
        List.of(
            "GET /orders HTTP/1.2\r\nHost: x\r\n\r\n",
            "GET /orders HTTP/3.0\r\nHost: x\r\n\r\n",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")) {
      try (RawConnection c = new RawConnection(port)) {
        c.send(request);
        String answer = c.readUntilClosed(10_000);
        assertThat(answer)
            .contains(" 505 ")
            .contains("application/problem+json")
            .contains("/problems/http-version-not-supported")
            .contains("\"requestId\"")
            .containsIgnoringCase("X-Request-Id");
      }
    }
    assertThat(counted("http-version-not-supported")).isEqualTo(before + 3);
  }

  @Test
  void aMalformedChunkedBodyIsAnswered400NotCountedAsAClientThatLeft() throws Exception {
    int before = backend.received().size();
    double closedBefore = counted("client-closed");
    double malformedBefore = counted("malformed-request");
    try (RawConnection c = new RawConnection(port)) {
      c.send(HEAD + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nzz-not-a-size\r\n");
      String answer = c.readUntilClosed(10_000);
      assertThat(answer).startsWith("HTTP/1.1 400").contains("/problems/malformed-request");
    }
    assertThat(backend.received()).hasSize(before);
    assertThat(counted("malformed-request")).isEqualTo(malformedBefore + 1);
    assertThat(counted("client-closed")).isEqualTo(closedBefore);
  }

  @Test
  void aHeadDrippedALineAtATimeGets408AndTheConnectionIsClosed() throws Exception {
    double before = counted("request-timeout");
    double malformedBefore = counted("malformed-request");
    try (RawConnection c = new RawConnection(port)) {
      c.send("POST /orders HTTP/1.1\r\nHost: x\r\n");
      // Each line arrives well within an idle time-out; the head as a whole never completes.
      for (int i = 0; i < 100 && !c.closedByPeer(); i++) {
        if (!c.send("X-Drip-" + i + ": a\r\n")) {
          break;
        }
        c.readUntil("HTTP/1.1 408", 300);
      }
      String answer = c.readUntilClosed(10_000);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("/problems/request-timeout");
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(counted("request-timeout")).isEqualTo(before + 1);
    // Counted once: the partial head is not counted again as malformed when the connection closes.
    GatewayHarness.sleep(1_000);
    assertThat(counted("malformed-request")).isEqualTo(malformedBefore);
  }

  @Test
  void aConnectionThatNeverSendsAHeadIsClosedAfterTheHeaderDeadline() throws Exception {
    try (RawConnection c = new RawConnection(port)) {
      c.readUntilClosed(15_000);
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void slowHeadsBeyondTheConnectionCapDoNotStopLegitimateTrafficOrTheOpsPort() throws Exception {
    List<RawConnection> slow = new ArrayList<>();
    try {
      // Three times the cap, each sending a partial head: the oldest make way for newcomers.
      openSlowHeads(slow, 120);
      for (int i = 0; i < 20; i++) {
        assertThat(gateway.order("web").statusCode()).isEqualTo(201);
        assertThat(gateway.ops("/ready").statusCode()).isEqualTo(200);
      }
      assertThat(metric("ordergate_connections_open")).isLessThanOrEqualTo(41);
      assertThat(
              metric("ordergate_connections_evicted_total")
                  + metric("ordergate_connections_refused_total"))
          .isGreaterThan(0);
    } finally {
      slow.forEach(RawConnection::close);
    }
  }

  @Test
  void atMostAQuarterOfTheCapWaitForAFirstHeadAndTheOldestMakeWay() throws Exception {
    double evictedBefore = metric("ordergate_connections_evicted_total");
    List<RawConnection> slow = new ArrayList<>();
    int unanswered = 0;
    try {
      // 16 slow heads, well below the cap of 40 but beyond its quarter (10): the 6 oldest are
      // closed unanswered at once (no 408: the deadline answers the others).
      openSlowHeads(slow, 16);
      assertThat(gateway.order("web").statusCode()).isEqualTo(201);
      for (RawConnection c : slow) {
        if (c.readUntilClosed(30_000).isEmpty()) {
          unanswered++;
        }
        assertThat(c.closedByPeer()).isTrue();
      }
    } finally {
      slow.forEach(RawConnection::close);
    }
    assertThat(unanswered).isGreaterThanOrEqualTo(6);
    assertThat(metric("ordergate_connections_evicted_total") - evictedBefore)
        .isGreaterThanOrEqualTo(6);
  }

  @Test
  void aKeptAliveConnectionIdleBetweenRequestsLongerThanTheHeaderDeadlineStaysOpen()
      throws Exception {
    // The header deadline runs from a head's first byte, not from the last answer: the sweep that
    // checks the deadlines must not take an idle kept-alive connection for a late head.
    String order = HEAD + "Content-Length: 2\r\n\r\n{}";
    try (RawConnection c = new RawConnection(port)) {
      c.send(order);
      assertThat(c.readUntil("}", 10_000)).startsWith("HTTP/1.1 201");
      GatewayHarness.sleep(2_500); // the IT's header deadline is 1 s
      assertThat(c.closedByPeer()).isFalse();
      c.send(order);
      assertThat(c.readUntil("}", 10_000)).startsWith("HTTP/1.1 201");
    }
  }

  @Test
  void slowHeadsTheGatewayClosesAreEachCountedOnceAndNeverAsMalformed() throws Exception {
    double timedOutBefore = counted("request-timeout");
    double malformedBefore = counted("malformed-request");
    List<RawConnection> slow = new ArrayList<>();
    int answered408 = 0;
    try {
      // Beyond the cap: some are evicted (closed unanswered), the rest get 408 at the deadline.
      openSlowHeads(slow, 60);
      for (RawConnection c : slow) {
        if (c.readUntilClosed(30_000).startsWith("HTTP/1.1 408")) {
          answered408++;
        }
        assertThat(c.closedByPeer()).isTrue();
      }
    } finally {
      slow.forEach(RawConnection::close);
    }
    assertThat(answered408).isGreaterThan(0);
    GatewayHarness.sleep(1_000);
    assertThat(counted("request-timeout")).isEqualTo(timedOutBefore + answered408);
    assertThat(counted("malformed-request")).isEqualTo(malformedBefore);
  }

  /** Sends a request on a fresh connection; returns everything until the gateway closes it. */
  static String exchange(String request) throws Exception {
    try (RawConnection c = new RawConnection(port)) {
      c.send(request);
      return c.readUntil("}", 10_000);
    }
  }

  static boolean reachedBackend(String requestId) {
    return backend.received().stream()
        .anyMatch(r -> requestId.equals(r.headers().get("X-Request-Id")));
  }

  @Test
  void aBodyThatDoesNotArriveInTimeGets408AndTheConnectionIsClosed() throws Exception {
    double before = counted("request-timeout");
    try (RawConnection c = new RawConnection(port)) {
      c.send(HEAD + "X-Request-Id: slow-upload-1\r\nContent-Length: 100\r\n\r\n{\"sku\":");
      // One byte now and then: never idle, never complete.
      for (int i = 0; i < 60 && !c.closedByPeer(); i++) {
        c.send(" ");
        c.readUntil("HTTP/1.1 408", 250);
      }
      String answer = c.readUntilClosed(10_000);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("/problems/request-timeout");
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(reachedBackend("slow-upload-1")).isFalse();
    assertThat(counted("request-timeout")).isEqualTo(before + 1);
  }

  @Test
  void bodiesBeyondTheReplicasBufferBudgetAreRefused503WithRetryAfter() throws Exception {
    double before = counted("body-buffer-full");
    String refused = "";
    // On a slow machine the holders may reach their request deadline before the probe arrives:
    // then the probe is not refused, and the attempt is repeated (no timing is asserted).
    for (int attempt = 0; attempt < 5 && !refused.startsWith("HTTP/1.1 503"); attempt++) {
      List<RawConnection> holding = new ArrayList<>();
      try {
        // Four bodies of 64 KiB declared and sent partially fill the 256 KiB budget.
        for (int i = 0; i < 4; i++) {
          RawConnection c = new RawConnection(port);
          c.send(HEAD + "Content-Length: 65536\r\n\r\n{\"sku\":\"");
          holding.add(c);
        }
        awaitMetric("ordergate_body_buffer_bytes", 4 * 65536);
        refused =
            exchange(
                HEAD + "X-Request-Id: over-budget-" + attempt + "\r\nContent-Length: 1000\r\n\r\n");
      } finally {
        holding.forEach(RawConnection::close);
      }
    }
    assertThat(refused)
        .startsWith("HTTP/1.1 503")
        .contains("/problems/body-buffer-full")
        .containsIgnoringCase("Retry-After: ");
    assertThat(reachedBackend("over-budget-0")).isFalse();
    assertThat(counted("body-buffer-full")).isEqualTo(before + 1);
    // What the closed requests held is given back: a normal order passes again.
    awaitMetric("ordergate_body_buffer_bytes", 0);
    assertThat(gateway.order("web").statusCode()).isEqualTo(201);
  }

  /** Waits (up to 30 s) until a gauge shows {@code value}. */
  static void awaitMetric(String name, double value) {
    long end = System.nanoTime() + 30_000_000_000L;
    while (metric(name) != value && System.nanoTime() < end) {
      GatewayHarness.sleep(50);
    }
  }

  @Test
  void aWriteWhoseBodyEndsAfterAKillIsRefusedNotForwarded() throws Exception {
    try (RawConnection c = new RawConnection(port)) {
      String body = "{\"sku\":\"killed\"}";
      c.send(
          HEAD.replace("demo-web-key", "demo-perftest-key")
              + "X-Request-Id: kill-mid-body-1\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n"
              + body.substring(0, 4));
      // The headers met an accepting perftest; now it is killed, and the replica sees it.
      GatewayHarness.setFlag(stack.flagsFile, "order-source.perftest", false);
      gateway.awaitOrderStatus("perftest", 503);
      c.send(body.substring(4));
      String answer = c.readUntil("}", 10_000);
      assertThat(answer)
          .startsWith("HTTP/1.1 503")
          .contains("/problems/source-disabled")
          .contains("decision changed while the request was in progress");
    } finally {
      GatewayHarness.setFlag(stack.flagsFile, "order-source.perftest", true);
      gateway.awaitOrderStatus("perftest", 201);
    }
    assertThat(reachedBackend("kill-mid-body-1")).isFalse();
  }

  @Test
  void readsCannotCarryWrites() throws Exception {
    String get =
        "GET /orders HTTP/1.1\r\nHost: x\r\nX-Api-Key: demo-web-key\r\n"
            + "X-Upstream-Environment: production\r\n";
    for (String header : List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
      assertThat(exchange(get + header + ": POST\r\nX-Request-Id: ovr-" + header + "\r\n\r\n"))
          .startsWith("HTTP/1.1 400")
          .contains("/problems/method-override");
      assertThat(reachedBackend("ovr-" + header)).isFalse();
    }
    assertThat(
            exchange(
                get.replace("/orders", "/orders?_method=POST") + "X-Request-Id: ovr-q\r\n\r\n"))
        .startsWith("HTTP/1.1 400")
        .contains("/problems/method-override");
    assertThat(
            exchange(
                HEAD.replace("POST /orders", "POST /orders?a=1&_method=GET")
                    + "Content-Length: 2\r\n\r\n{}"))
        .startsWith("HTTP/1.1 400")
        .contains("/problems/method-override");
    for (String method : List.of("GET", "HEAD", "OPTIONS")) {
      String withBody =
          get.replace("GET", method)
              + "X-Request-Id: body-"
              + method
              + "\r\n"
              + "Content-Length: 2\r\n\r\n{}";
      assertThat(exchange(withBody)).startsWith("HTTP/1.1 400");
      assertThat(reachedBackend("body-" + method)).isFalse();
    }
    assertThat(exchange(get + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"))
        .startsWith("HTTP/1.1 400")
        .contains("/problems/body-on-read");
    // A plain read still passes.
    assertThat(exchange(get + "\r\n")).startsWith("HTTP/1.1 201");
  }

  @Test
  void identityGivenTwiceOrInBothFormsIsRefused() throws Exception {
    String post = "POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nX-Request-Id: amb\r\n";
    List<String> ambiguous =
        List.of(
            "Authorization: Bearer demo-web-key\r\nAuthorization: Bearer demo-perftest-key\r\n"
                + "X-Upstream-Environment: production\r\n",
            "Authorization: Bearer demo-web-key\r\nX-Api-Key: demo-web-key\r\n"
                + "X-Upstream-Environment: production\r\n",
            "X-Api-Key: demo-web-key\r\nX-Api-Key: demo-partner-key\r\n"
                + "X-Upstream-Environment: production\r\n",
            "X-Api-Key: demo-web-key\r\nX-Upstream-Environment: production\r\n"
                + "X-Upstream-Environment: staging\r\n",
            "X-Api-Key: demo-web-key\r\nX-Upstream-Environment: production\r\n"
                + "Idempotency-Key: a\r\nIdempotency-Key: b\r\n");
    double before = counted("ambiguous-request");
    for (String headers : ambiguous) {
      assertThat(exchange(post + headers + "\r\n{}"))
          .startsWith("HTTP/1.1 400")
          .contains("/problems/ambiguous-request");
    }
    assertThat(counted("ambiguous-request")).isEqualTo(before + ambiguous.size());
    assertThat(reachedBackend("amb")).isFalse();
  }

  @Test
  void failedAuthenticationsFromOneAddressAreLimitedValidKeysStillPass() {
    double before = counted("auth-failures-limited");
    int limited = 0;
    for (int i = 0; i < 40; i++) {
      var response =
          GatewayHarness.send(
              java.net.http.HttpRequest.newBuilder(URI.create(gateway.trafficUrl() + "/orders"))
                  .header("X-Api-Key", "guess-" + i)
                  .header("X-Upstream-Environment", "production")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
      if (response.statusCode() == 429) {
        assertThat(response.body()).contains("/problems/auth-failures-limited");
        limited++;
      } else {
        assertThat(response.statusCode()).isEqualTo(401);
      }
    }
    assertThat(limited).isPositive();
    assertThat(counted("auth-failures-limited")).isEqualTo(before + limited);
    assertThat(gateway.order("web").statusCode()).isEqualTo(201);
  }

  @Test
  void anAnswerLargerThanTheCapIs502AndAudited() throws Exception {
    io.vertx.core.http.HttpServer big =
        stack
            .vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              var resp = req.response().setStatusCode(201);
                              if (req.getHeader("X-Chunked") != null) {
                                resp.setChunked(true);
                                for (int i = 0; i < 64; i++) {
                                  resp.write(io.vertx.core.buffer.Buffer.buffer(new byte[65536]));
                                }
                                resp.end();
                              } else {
                                resp.end(io.vertx.core.buffer.Buffer.buffer(new byte[3 << 20]));
                              }
                            }));
    big.listen(0, "127.0.0.1").await(10, java.util.concurrent.TimeUnit.SECONDS);
    Map<String, String> env = GatewayHarness.settings("http://127.0.0.1:" + big.actualPort());
    GatewayHarness.withFlagsFile(env);
    try (GatewayHarness second = GatewayHarness.start(stack.vertx, env)) {
      for (String chunked : List.of("no", "yes")) {
        var request = second.orderRequest("web", "{}");
        if (chunked.equals("yes")) {
          request.header("X-Chunked", "1");
        }
        var response = GatewayHarness.send(request);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("/problems/response-too-large");
      }
      assertThat(second.awaitAuditRows(2, java.time.Duration.ofSeconds(10))).isEqualTo(2);
      long audited =
          io.ordergate.app.Await.<Long>result(
              second
                  .pool()
                  .query("SELECT count(*) FROM audit WHERE decision = 'response-too-large'")
                  .execute()
                  .map(r -> r.iterator().next().getLong(0)),
              30);
      assertThat(audited).isEqualTo(2);
    } finally {
      big.close();
    }
  }

  /**
   * Opens {@code n} connections that each send a request line and one header and then nothing,
   * added to {@code slow} as they open (the caller closes them).
   */
  private void openSlowHeads(List<RawConnection> slow, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      RawConnection c = new RawConnection(port);
      slow.add(c);
      c.send("POST /orders HTTP/1.1\r\nHost: x\r\n");
    }
  }
}
