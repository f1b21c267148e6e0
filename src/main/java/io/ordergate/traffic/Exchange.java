package io.ordergate.traffic;

import io.ordergate.forward.BackendReply;
import io.ordergate.forward.ForwardRequest;
import io.ordergate.forward.Headers;
import io.ordergate.idempotency.RequestFingerprint;
import io.ordergate.problem.Failure;
import io.ordergate.problem.Problems;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.time.Instant;
import java.util.List;

/**
 * One HTTP request on its way through the gateway: what admission reads of it ({@link Inbound}) and
 * how its outcome reaches the client ({@link Outcome}). The only request-path type that holds the
 * Vert.x request; one object per request.
 */
final class Exchange extends Outcome implements Inbound {
  static final CharSequence REQUEST_ID = HttpHeaders.createOptimized(Headers.REQUEST_ID);

  private final HttpServerRequest request;
  private final Problems problems;

  Exchange(
      HttpServerRequest request,
      String requestId,
      long receivedMicros,
      long revision,
      Ledger ledger,
      Problems problems) {
    super(ledger, requestId, receivedMicros, revision);
    this.request = request;
    this.problems = problems;
  }

  HttpServerRequest request() {
    return request;
  }

  @Override
  public HttpMethod method() {
    return request.method();
  }

  @Override
  public HttpVersion version() {
    return request.version();
  }

  @Override
  public String path() {
    String path = request.path();
    return path == null ? "" : path;
  }

  @Override
  public String header(CharSequence name) {
    return request.getHeader(name);
  }

  @Override
  public List<String> headers(CharSequence name) {
    return request.headers().getAll(name);
  }

  /** Without a list for a header that is not there (most of those the checks count). */
  @Override
  public int count(CharSequence name) {
    MultiMap headers = request.headers();
    return headers.contains(name) ? headers.getAll(name).size() : 0;
  }

  @Override
  public String query() {
    return request.query();
  }

  @Override
  public String remoteAddress() {
    return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
  }

  /** The request as the order system (or the quarantine) gets it. */
  ForwardRequest forwardRequest(Buffer body, boolean write) {
    // A write always carries a length (0 if empty); a read without a body carries none.
    Buffer payload = body.length() > 0 || write ? body : null;
    String query = request.query();
    String pathAndQuery = query == null ? request.path() : request.path() + "?" + query;
    return new ForwardRequest(
        request.method(),
        pathAndQuery,
        request.headers(),
        payload,
        source(),
        requestId(),
        request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
        request.authority() == null ? null : request.authority().toString());
  }

  Instant receivedAt() {
    long micros = receivedMicros();
    return Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1_000);
  }

  @Override
  boolean open() {
    HttpServerResponse resp = request.response();
    return !resp.ended() && !resp.closed();
  }

  @Override
  void write(BackendReply reply, boolean replayed) {
    HttpServerResponse resp = request.response();
    resp.setStatusCode(reply.status());
    resp.headers().addAll(reply.headers()); // addAll: keeps a Connection: close set while draining
    resp.putHeader(REQUEST_ID, requestId());
    if (replayed) {
      resp.putHeader(RequestFingerprint.REPLAYED_HEADER, "true");
    }
    resp.end(reply.body());
  }

  @Override
  void writeProblem(Failure failure, Buffer document) {
    HttpServerResponse resp = request.response();
    resp.putHeader(REQUEST_ID, requestId());
    problems.send(resp, failure, document);
  }

  @Override
  void closeConnection() {
    request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
  }

  @Override
  String auditedMethod() {
    return String.valueOf(request.method());
  }
}
