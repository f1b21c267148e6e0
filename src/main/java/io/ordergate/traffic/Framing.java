package io.ordergate.traffic;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import java.util.List;

/**
 * Message framing that RFC 9112 says a server must refuse. Netty tolerates some of it; a proxy that
 * passed it on could be used to smuggle requests past a front load balancer that reads it
 * otherwise. Content-Length together with Transfer-Encoding never gets here: Netty would drop the
 * length and read the body as chunked on a connection it keeps open, so {@link
 * StrictRequestDecoder} refuses such a request while decoding it, and the connection is closed.
 */
final class Framing {
  private Framing() {}

  /** Why the request's framing is refused, or null. */
  static String violation(Inbound req) {
    int hosts = req.count(HttpHeaders.HOST);
    if (hosts > 1 || (hosts == 0 && req.version() == HttpVersion.HTTP_1_1)) {
      return "a request needs exactly one Host header (HTTP/1.0: at most one), it had " + hosts;
    }
    if (req.header(HttpHeaders.TRANSFER_ENCODING) != null) {
      List<String> encodings = req.headers(HttpHeaders.TRANSFER_ENCODING);
      if (req.version() != HttpVersion.HTTP_1_1) {
        return "Transfer-Encoding is only defined for HTTP/1.1";
      }
      if (encodings.size() > 1 || !encodings.get(0).trim().equalsIgnoreCase("chunked")) {
        return "only 'Transfer-Encoding: chunked' is accepted";
      }
    }
    return null;
  }
}
