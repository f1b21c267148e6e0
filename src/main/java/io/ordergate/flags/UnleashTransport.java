package io.ordergate.flags;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How {@link UnleashHttp} sends one request and reads the whole answer, blocking the calling thread
 * (a command's main thread, never an event loop). Two ways: the JDK's HTTP client, for a command
 * that has no Vert.x; or the Vert.x HTTP client of a Vert.x the command already runs (a confirmed
 * command's, for its database), so that it does not start a second client stack at all.
 */
interface UnleashTransport {
  Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** A status and the whole body. */
  record Answer(int statusCode, String body) {}

  /**
   * @param body null for none
   * @throws IOException when Unleash did not answer (cannot connect, reset, timed out)
   */
  Answer send(String method, URI uri, Map<String, String> headers, String body)
      throws IOException, InterruptedException;

  /** The JDK's client; a plain-HTTP Unleash gets no TLS set up. */
  static UnleashTransport jdk(URI base) {
    java.net.http.HttpClient.Builder builder =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT);
    if ("http".equalsIgnoreCase(base.getScheme())) {
      // The client would set up TLS with the JDK's trust store at once (a few hundred ms of a
      // command's start) though a plain-HTTP Unleash never uses it; it follows no redirects.
      builder.sslContext(unusedTls());
    }
    java.net.http.HttpClient client = builder.build();
    return (method, uri, headers, body) -> {
      java.net.http.HttpRequest.Builder request =
          java.net.http.HttpRequest.newBuilder(uri)
              .timeout(REQUEST_TIMEOUT)
              .method(
                  method,
                  body == null
                      ? java.net.http.HttpRequest.BodyPublishers.noBody()
                      : java.net.http.HttpRequest.BodyPublishers.ofString(body));
      headers.forEach(request::header);
      java.net.http.HttpResponse<String> r =
          client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    };
  }

  /** The Vert.x HTTP client of {@code vertx}; closed with it. */
  static UnleashTransport vertx(Vertx vertx, URI base) {
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis())
                .setSsl("https".equalsIgnoreCase(base.getScheme())));
    return (method, uri, headers, body) -> {
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.valueOf(method))
              .setAbsoluteURI(uri.toString())
              .setIdleTimeout(REQUEST_TIMEOUT.toMillis());
      headers.forEach(options::putHeader);
      try {
        return client
            .request(options)
            .compose(req -> body == null ? req.send() : req.send(body))
            .compose(r -> r.body().map(b -> new Answer(r.statusCode(), b.toString())))
            .toCompletionStage()
            .toCompletableFuture()
            .get(REQUEST_TIMEOUT.toMillis() + CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw new IOException(
            cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(),
            cause);
      } catch (TimeoutException e) {
        throw new IOException("no answer within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
      }
    };
  }

  private static javax.net.ssl.SSLContext unusedTls() {
    try {
      javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
      tls.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
      return tls;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
