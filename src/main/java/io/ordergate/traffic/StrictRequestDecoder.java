package io.ordergate.traffic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.ordergate.problem.Failure;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.List;

/**
 * Vert.x's HTTP/1.x request decoder with two refusals of its own. A request marked here reaches the
 * server's invalid-request handler, which answers it with a problem document, counts and audits it,
 * and closes the connection.
 *
 * <ul>
 *   <li>{@code Content-Length} together with {@code Transfer-Encoding}: Netty 4.2.9 dropped the
 *       length and read the body as chunked, on a connection it kept open (4.2.18 refuses it too,
 *       with its own words; ours name the fix). A front proxy that frames by the length sees a
 *       different request boundary, and a second request hidden in the "body" would become a second
 *       order. RFC 9112 §6.1 lets a server refuse such a message and requires it to close the
 *       connection.
 *   <li>Versions other than HTTP/1.0 and HTTP/1.1 ({@code HTTP/1.2}, {@code HTTP/3.0}, the HTTP/2
 *       preface {@code PRI * HTTP/2.0}): Vert.x would answer them itself with a bare 501, outside
 *       the request path, so they would be neither counted nor audited.
 * </ul>
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  /** Why the decoder refused a request, with the failure it maps to. */
  static final class Refused extends DecoderException {
    private final Failure failure;

    Refused(Failure failure, String message) {
      super(message);
      this.failure = failure;
    }

    Failure failure() {
      return failure;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // an answer to a client, not a bug: no stack trace to build
    }
  }

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  private boolean discardOnClose;

  /**
   * The gateway closes this connection itself (a late head, an eviction at the cap), and the head
   * was already answered or never will be: the partial head the decoder holds is dropped when the
   * connection closes, instead of coming out as a request that failed with Netty's "closed before
   * the headers" exception. Building that exception's stack trace for each of thousands of slow
   * connections was the costliest part of closing them.
   */
  void discardOnClose() {
    discardOnClose = true;
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws Exception {
    if (discardOnClose) {
      in.skipBytes(in.readableBytes());
      return;
    }
    super.decodeLast(ctx, in, out);
  }

  /**
   * Marks a decoded request whose version is neither HTTP/1.1 nor HTTP/1.0 as refused. Called on
   * the decoded message: Netty resets a result set while the request line is parsed.
   */
  static void refuseOtherVersions(HttpRequest request) {
    HttpVersion version = request.protocolVersion();
    if (version != HttpVersion.HTTP_1_1
        && version != HttpVersion.HTTP_1_0
        && request.decoderResult().isSuccess()) {
      request.setDecoderResult(
          DecoderResult.failure(
              new Refused(
                  Failure.HTTP_VERSION_NOT_SUPPORTED,
                  "this gateway speaks HTTP/1.1 and HTTP/1.0 only, the request said "
                      + printable(version.text()))));
    }
  }

  /**
   * Throws, as Netty 4.2.18's own does, but a failure of ours: the decoder marks the request with
   * it and discards everything after it on the connection.
   */
  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    clearContentLength();
    throw new Refused(
        Failure.MALFORMED_REQUEST,
        "a request framed by both Content-Length and Transfer-Encoding is refused"
            + " (RFC 9112 section 6.1); send one of them");
  }

  private static String printable(String s) {
    String cut = s.length() > 16 ? s.substring(0, 16) : s;
    return cut.replaceAll("[^\\x21-\\x7e]", "?");
  }
}
