package io.ordergate.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProblemsTest {
  private static final Problems PROBLEMS = new Problems(30);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static Vertx vertx;
  private static HttpServer server;

  /**
   * GET /{FAILURE} answers with that failure's problem; GET /answered/{FAILURE} answers 200 first.
   */
  @BeforeAll
  static void startServer() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  String[] path = req.path().substring(1).split("/");
                  Failure failure = Failure.valueOf(path[path.length - 1]);
                  if (path.length > 1) {
                    req.response().setStatusCode(200).end("already answered");
                  }
                  PROBLEMS.send(
                      req.response(),
                      new Problem(failure, "detail of " + failure.slug(), "web", "req-1"));
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopServer() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.actualPort() + path);
    return CLIENT.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void problemJsonCarriesSourceAndRequestIdWhenKnown() {
    JsonObject json =
        new Problem(Failure.SOURCE_DISABLED, "switched off", "perftest", "req-9").toJson();

    assertThat(json.getMap())
        .containsOnlyKeys("type", "title", "status", "detail", "source", "requestId");
    assertThat(json.getString("type")).isEqualTo("/problems/source-disabled");
    assertThat(json.getString("title")).isEqualTo(Failure.SOURCE_DISABLED.title());
    assertThat(json.getInteger("status")).isEqualTo(503);
    assertThat(json.getString("detail")).isEqualTo("switched off");
    assertThat(json.getString("source")).isEqualTo("perftest");
    assertThat(json.getString("requestId")).isEqualTo("req-9");
  }

  @Test
  void problemJsonLeavesOutUnknownSourceAndRequestId() {
    JsonObject json = new Problem(Failure.MISSING_CREDENTIAL, "no key", null, null).toJson();

    assertThat(json.getMap()).containsOnlyKeys("type", "title", "status", "detail");
  }

  @Test
  void everyFailureHasItsOwnSlugTypeAndAnErrorStatus() {
    assertThat(Arrays.stream(Failure.values()).map(Failure::slug)).doesNotHaveDuplicates();
    assertThat(Failure.values())
        .allSatisfy(
            f -> {
              assertThat(f.type()).endsWith("/" + f.slug());
              assertThat(f.status()).isBetween(400, 599);
              // A clean-up that is (or is not) running does not change within a second: no
              // Retry-After for those 409s.
              assertThat(f.retryable())
                  .isEqualTo(
                      f.status() == 503 || f.status() == 429 || f == Failure.IDEMPOTENCY_IN_FLIGHT);
            });
  }

  @ParameterizedTest
  @EnumSource(Failure.class)
  void sentProblemHasStatusMediaTypeHeadersAndBody(Failure failure) throws Exception {
    HttpResponse<String> response = get("/" + failure.name());

    assertThat(response.statusCode()).isEqualTo(failure.status());
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(response.headers().firstValue("Retry-After"))
        .isEqualTo(
            failure.status() == 503
                ? Optional.of("30")
                : failure.retryable() ? Optional.of("1") : Optional.empty());
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .isEqualTo(failure.status() == 401 ? Optional.of("Bearer") : Optional.empty());
    assertThat(new JsonObject(response.body()))
        .isEqualTo(new Problem(failure, "detail of " + failure.slug(), "web", "req-1").toJson());
  }

  @ParameterizedTest
  @EnumSource(Failure.class)
  void handWrittenJsonIsByteForByteWhatJacksonWrites(Failure failure) {
    String[] details = {
      "plain",
      "",
      "quote \" backslash \\ slash / tab \t newline \n cr \r bs \b ff \f",
      "controls \u0000 \u0001 \u001f \u007f del",
      "latin1 é ü ß \u00a0 \u00ff",
      "bmp € \u2028 \u2029 \ufffd 中文",
      "pair \ud83d\ude00 end",
      "lone high \ud83d end",
      "lone low \ude00 end",
      "\ud83d",
      "x".repeat(3000)
    };
    for (String detail : details) {
      for (String source : new String[] {null, "web", "we\"b\u0001"}) {
        for (String requestId : new String[] {null, "req-1"}) {
          Problem problem = new Problem(failure, detail, source, requestId);
          assertThat(problem.toBuffer().getBytes())
              .as("%s %s %s", detail, source, requestId)
              .isEqualTo(problem.toJson().toBuffer().getBytes());
        }
      }
    }
    Problem nullDetail = new Problem(failure, null, "web", "req-1");
    assertThat(nullDetail.toBuffer().toString())
        .isEqualTo(nullDetail.toJson().toBuffer().toString());
  }

  @Test
  void responseAlreadyAnsweredIsLeftAlone() throws Exception {
    HttpResponse<String> response = get("/answered/" + Failure.INTERNAL.name());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("already answered");
  }
}
