package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.support.GatewayHarness;
import io.ordergate.support.RawConnection;
import io.ordergate.support.TestBackend;
import io.ordergate.support.TestStack;
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
                "ORDERGATE_MAX_CONNECTIONS", "40"));
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
      for (int i = 0; i < 120; i++) {
        RawConnection c = new RawConnection(port);
        c.send("POST /orders HTTP/1.1\r\nHost: x\r\n");
        slow.add(c);
      }
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
}
