package io.ordergate.config;

import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * How the order system cancels one order: a method and a path template with one {@code {id}}, such
 * as {@code DELETE /orders/{id}} or {@code POST /orders/{id}/cancel}. The path is resolved against
 * {@code ORDERGATE_BACKEND_URL} the way forwarded requests are (its path is the prefix).
 */
public record CancelRequest(HttpMethod method, String pathTemplate) {
  public static final String VARIABLE = "ORDERGATE_CANCEL_REQUEST";
  public static final String DEFAULT = "DELETE /orders/{id}";
  private static final Set<HttpMethod> METHODS =
      Set.of(HttpMethod.DELETE, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);
  private static final String PLACEHOLDER = "{id}";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  public CancelRequest {
    if (!METHODS.contains(method)) {
      throw new ConfigException(VARIABLE, "must use DELETE, POST, PUT or PATCH, was " + method);
    }
    int at = pathTemplate.indexOf(PLACEHOLDER);
    if (!pathTemplate.startsWith("/") || at < 0 || pathTemplate.indexOf(PLACEHOLDER, at + 1) >= 0) {
      throw new ConfigException(
          VARIABLE,
          "must be 'METHOD /path-with-{id}' with exactly one {id} in a path that starts with '/', "
              + "e.g. '"
              + DEFAULT
              + "', was '"
              + method
              + " "
              + pathTemplate
              + "'");
    }
    for (int i = 0; i < pathTemplate.length(); i++) {
      char c = pathTemplate.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '#') {
        throw new ConfigException(
            VARIABLE,
            "must not contain spaces, control characters, '#' or non-ASCII in its path, was '"
                + pathTemplate
                + "'");
      }
    }
  }

  /** Parses {@code "METHOD /path-with-{id}"}; failures name the variable. */
  public static CancelRequest parse(String text) {
    String[] parts = text.trim().split("\\s+");
    if (parts.length != 2) {
      throw new ConfigException(
          VARIABLE, "must be 'METHOD /path-with-{id}', e.g. '" + DEFAULT + "', was '" + text + "'");
    }
    HttpMethod method;
    try {
      method = HttpMethod.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          VARIABLE, "must start with DELETE, POST, PUT or PATCH, was '" + text + "'");
    }
    return new CancelRequest(method, parts[1]);
  }

  /**
   * The request path for one order, the id percent-encoded as one path segment (so it can never add
   * a segment).
   */
  public String path(String orderId) {
    return pathTemplate.replace(PLACEHOLDER, encode(orderId));
  }

  /** RFC 3986 unreserved characters stay; every other byte of the UTF-8 form becomes %XX. */
  static String encode(String id) {
    StringBuilder out = new StringBuilder(id.length() + 8);
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return method + " " + pathTemplate;
  }
}
