package io.ordergate.quarantine;

import io.ordergate.audit.AuditRecord;
import io.ordergate.forward.ForwardRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Instant;

/**
 * A held order a release has claimed ('releasing'), with what it needs to send it again.
 *
 * @param previousState the state it was claimed from, where it goes back if it could not be sent
 */
record Claimed(
    long id,
    String sourceId,
    String requestId,
    String method,
    String pathAndQuery,
    MultiMap headers,
    Buffer body,
    String previousState) {
  private static final String FORWARDED_FOR = "X-Forwarded-For";
  private static final String FORWARDED_HOST = "X-Forwarded-Host";

  /**
   * The request exactly as it would have been forwarded at intake. The stored forwarding headers
   * are handed over as the client address and host, which the header rules would otherwise replace.
   */
  ForwardRequest toForwardRequest() {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    String forwardedFor = copy.get(FORWARDED_FOR);
    String forwardedHost = copy.get(FORWARDED_HOST);
    copy.remove(FORWARDED_FOR).remove(FORWARDED_HOST);
    return new ForwardRequest(
        HttpMethod.valueOf(method),
        pathAndQuery,
        copy,
        body,
        sourceId,
        requestId,
        forwardedFor,
        forwardedHost);
  }

  /**
   * The audit row of this order's release, timed from the send to the answer. No flag was read to
   * decide it (the operator did), hence flag revision 0.
   */
  AuditRecord auditRecord(
      String decision, int status, String orderId, Instant sentAt, Instant answeredAt) {
    return new AuditRecord(
        requestId,
        sourceId,
        method,
        path(),
        decision,
        status,
        orderId,
        0,
        micros(sentAt),
        micros(answeredAt));
  }

  /**
   * The path without its query, cut like the request path cuts it, as the audit table records
   * paths.
   */
  String path() {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    return path.length() > 2048 ? path.substring(0, 2048) : path;
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
  }
}
