package io.ordergate.forward;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Header rules of a well-behaved proxy (RFC 9110 §7.6.1), plus the gateway's own. */
public final class Headers {
  public static final String ORDER_SOURCE = "X-Order-Source";
  public static final String REQUEST_ID = "X-Request-Id";
  public static final String API_KEY = "X-Api-Key";

  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
      "te", "trailer", "transfer-encoding", "upgrade");

  /** Never forwarded upstream: the credential is for the gateway, the source is ours to say. */
  private static final Set<String> GATEWAY_OWNED = Set.of(
      "host", "content-length", "authorization", "x-api-key", "x-order-source", "x-request-id",
      "expect", "x-forwarded-host", "x-forwarded-proto");

  private Headers() {}

  /** Copies request headers for the backend, dropping hop-by-hop and gateway-owned ones. */
  public static MultiMap forBackend(ForwardRequest request) {
    MultiMap in = request.clientHeaders();
    Set<String> named = connectionTokens(in.get(HttpHeaders.CONNECTION));
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    String forwardedFor = null;
    for (Map.Entry<String, String> h : in) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name) || GATEWAY_OWNED.contains(name) || named.contains(name)) {
        continue;
      }
      if (name.equals("x-forwarded-for")) {
        forwardedFor = forwardedFor == null ? h.getValue() : forwardedFor + ", " + h.getValue();
        continue;
      }
      out.add(h.getKey(), h.getValue());
    }
    if (request.clientAddress() != null) {
      out.set("X-Forwarded-For", forwardedFor == null ? request.clientAddress() : forwardedFor + ", " + request.clientAddress());
    }
    if (request.clientHost() != null) {
      out.set("X-Forwarded-Host", request.clientHost());
    }
    out.set("X-Forwarded-Proto", "http");
    out.set(ORDER_SOURCE, request.sourceId());
    out.set(REQUEST_ID, request.requestId());
    return out;
  }

  /** Copies response headers for the client, dropping hop-by-hop ones and the length we recompute. */
  public static MultiMap forClient(MultiMap in) {
    Set<String> named = connectionTokens(in.get(HttpHeaders.CONNECTION));
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> h : in) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(name) || named.contains(name) || name.equals("content-length")) {
        continue;
      }
      out.add(h.getKey(), h.getValue());
    }
    return out;
  }

  private static Set<String> connectionTokens(String connection) {
    if (connection == null || connection.isEmpty()) {
      return Set.of();
    }
    String[] tokens = connection.toLowerCase(Locale.ROOT).split(",");
    java.util.HashSet<String> out = new java.util.HashSet<>();
    for (String t : tokens) {
      if (!t.isBlank()) {
        out.add(t.trim());
      }
    }
    return out;
  }
}
