package io.ordergate.traffic;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.ordergate.audit.AuditRecord;
import io.ordergate.audit.AuditWriter;
import io.ordergate.forward.Headers;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.problem.Failure;
import io.ordergate.problem.Problem;
import io.ordergate.problem.Problems;
import java.time.Clock;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Counts and audits a request that ended before it became a request Vert.x could hand on: a head
 * that did not arrive in time. It is counted in {@code ordergate_requests_total} with its decision
 * and has an audit row (method and path {@code -}: they were never received), like any other.
 */
final class Unparsed {
  static final String UNKNOWN = "-";

  private final GateMetrics metrics;
  private final AuditWriter audit;
  private final LongSupplier revision;
  private final Clock clock;

  Unparsed(GateMetrics metrics, AuditWriter audit, LongSupplier revision, Clock clock) {
    this.metrics = metrics;
    this.audit = audit;
    this.revision = revision;
    this.clock = clock;
  }

  /**
   * @param startNanos {@link System#nanoTime()} when its first byte (or its connection) arrived
   */
  void record(String requestId, Failure failure, long startNanos) {
    long nanos = System.nanoTime() - startNanos;
    long completedMicros = micros(clock.instant());
    long receivedMicros = completedMicros - nanos / 1_000;
    metrics.request(null, failure.slug(), nanos, completedMicros / 1_000);
    audit.record(
        new AuditRecord(
            requestId,
            null,
            UNKNOWN,
            UNKNOWN,
            failure.slug(),
            failure.status(),
            null,
            revision.getAsLong(),
            receivedMicros,
            completedMicros));
  }

  /**
   * A head that did not arrive within the header deadline: counted, audited, and answered with this
   * 408 (the connection is closed after it).
   */
  FullHttpResponse headerTimedOut(long startNanos, long timeoutMillis) {
    String requestId = RequestIds.generate();
    Problem problem =
        new Problem(
            Failure.REQUEST_TIMEOUT,
            "the request line and headers did not arrive within " + timeoutMillis + " ms",
            null,
            requestId);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.REQUEST_TIMEOUT,
            Unpooled.wrappedBuffer(problem.toBuffer().getBytes()));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, Problems.CONTENT_TYPE)
        .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
        .set(Headers.REQUEST_ID, requestId);
    record(requestId, Failure.REQUEST_TIMEOUT, startNanos);
    return response;
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
  }
}
