package io.ordergate.forward;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Header rules of a well-behaved proxy (RFC 9110 §7.6.1), plus the gateway's own. */
public final class Headers {
  public static final String ORDER_SOURCE = "X-Order-Source";
  public static final String REQUEST_ID = "X-Request-Id";
  public static final String API_KEY = "X-Api-Key";

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  /**
   * Never forwarded upstream: the credential is for the gateway, the source and the client's
   * address are ours to say. Compared after mapping '_' to '-', because CGI-style backends read
   * {@code X_Order_Source} as {@code X-Order-Source}.
   */
  private static final Set<String> GATEWAY_OWNED =
      Set.of(
          "host",
          "content-length",
          "authorization",
          "x-api-key",
          "x-order-source",
          "x-request-id",
          "expect",
          "x-forwarded-host",
          "x-forwarded-proto",
          "x-forwarded-port",
          "forwarded",
          "x-real-ip");

  private Headers() {}

  /** Copies request headers for the backend, dropping hop-by-hop and gateway-owned ones. */
  public static MultiMap forBackend(ForwardRequest request) {
    MultiMap in = request.clientHeaders();
    Set<String> named = connectionTokens(in.getAll(HttpHeaders.CONNECTION));
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    String forwardedFor = null;
    for (Map.Entry<String, String> h : in) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name)
          || named.contains(name)
          || GATEWAY_OWNED.contains(name.replace('_', '-'))) {
        continue;
      }
      if (name.equals("x-forwarded-for")) {
        forwardedFor = forwardedFor == null ? h.getValue() : forwardedFor + ", " + h.getValue();
        continue;
      }
      out.add(h.getKey(), h.getValue());
    }
    if (request.clientAddress() != null) {
      out.set(
          "X-Forwarded-For",
          forwardedFor == null
              ? request.clientAddress()
              : forwardedFor + ", " + request.clientAddress());
    }
    if (request.clientHost() != null) {
      out.set("X-Forwarded-Host", request.clientHost());
    }
    out.set("X-Forwarded-Proto", "http");
    out.set(ORDER_SOURCE, request.sourceId());
    out.set(REQUEST_ID, request.requestId());
    return out;
  }

  /**
   * Copies response headers for the client, dropping hop-by-hop ones and, unless {@code keepLength}
   * (HEAD and 304 answers, which describe a body they do not carry), the length we recompute.
   */
  public static MultiMap forClient(MultiMap in, boolean keepLength) {
    Set<String> named = connectionTokens(in.getAll(HttpHeaders.CONNECTION));
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> h : in) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name)
          || named.contains(name)
          || (!keepLength && name.equals("content-length"))) {
        continue;
      }
      out.add(h.getKey(), h.getValue());
    }
    return out;
  }

  private static Set<String> connectionTokens(List<String> connection) {
    if (connection.isEmpty()) {
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    for (String value : connection) {
      for (String token : value.toLowerCase(Locale.ROOT).split(",")) {
        if (!token.isBlank()) {
          out.add(token.trim());
        }
      }
    }
    return out;
  }
}
