package io.ordergate.traffic;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Locale;

/**
 * A read passes a killed source's kill switch, so it must not be able to act as a write at the
 * order system. Refused rather than stripped, so that a client relying on one learns it at once:
 *
 * <ul>
 *   <li>method overrides on any request: the headers {@code X-HTTP-Method-Override}, {@code
 *       X-HTTP-Method}, {@code X-Method-Override}, and a {@code _method} query parameter, which
 *       common frameworks honour to turn a GET or POST into something else;
 *   <li>a body on GET, HEAD or OPTIONS: a backend that reads it, or treats a body-bearing GET as a
 *       create, would take an order the kill switch never saw as a write.
 * </ul>
 */
final class ReadRules {
  static final List<String> OVERRIDE_HEADERS =
      List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

  private ReadRules() {}

  /** Why the request's method is overridden, or null. */
  static String override(Inbound req) {
    for (String name : OVERRIDE_HEADERS) {
      if (req.header(name) != null) {
        return "method overrides are not accepted (" + name + "); send the method itself";
      }
    }
    String rawQuery = req.query();
    if (rawQuery != null && hasMethodParameter(rawQuery)) {
      return "method overrides are not accepted (the _method query parameter); send the method"
          + " itself";
    }
    return null;
  }

  /** Why a read carries a body, or null (a write may carry one; an empty length is no body). */
  static String bodyOnRead(Inbound req) {
    HttpMethod method = req.method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS) {
      return null;
    }
    String length = req.header(HttpHeaders.CONTENT_LENGTH);
    boolean body =
        req.header(HttpHeaders.TRANSFER_ENCODING) != null
            || length != null && !length.trim().equals("0");
    return body
        ? method.name() + " is a read and cannot carry a body; send a write (POST, PUT, PATCH)"
        : null;
  }

  /** A {@code _method} parameter, plain or percent-encoded, in any letter case. */
  private static boolean hasMethodParameter(String rawQuery) {
    for (String pair : rawQuery.split("[&;]")) {
      int eq = pair.indexOf('=');
      String name = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
      if (name.replace("%5f", "_").replace("+", "").trim().equals("_method")) {
        return true;
      }
    }
    return false;
  }
}
