package io.ordergate.traffic;

import io.netty.handler.codec.DecoderException;
import io.ordergate.problem.Failure;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads an admitted request's body up to the limit. A body too large, unparsable or cut off by the
 * client refuses the request; a complete one is handed on.
 */
final class BodyReader {
  private BodyReader() {}

  static void read(Exchange ex, Admission admission, Handler<Buffer> then) {
    HttpServerRequest req = ex.request();
    if (req.isEnded()) {
      then.handle(Buffer.buffer());
      return;
    }
    if ("100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
      req.response().writeContinue();
    }
    int max = admission.maxBodyBytes();
    Buffer body = Buffer.buffer();
    boolean[] complete = {false};
    req.handler(
        chunk -> {
          if (ex.decided()) {
            return;
          }
          if (body.length() + chunk.length() > max) {
            ex.refuse(admission.bodyTooLarge(ex.source()));
            return;
          }
          body.appendBuffer(chunk);
        });
    req.exceptionHandler(
        e -> {
          if (ex.decided() || complete[0]) {
            return;
          }
          if (e instanceof DecoderException || req.decoderResult().isFailure()) {
            ex.closeConnection();
            ex.refuse(Failure.MALFORMED_REQUEST, "the body could not be parsed: " + e.getMessage());
          } else {
            ex.refuse(
                Failure.CLIENT_CLOSED,
                "the client went away while sending the body: " + e.getMessage());
          }
        });
    req.endHandler(
        v -> {
          complete[0] = true;
          if (!ex.decided()) {
            then.handle(body);
          }
        });
  }
}
