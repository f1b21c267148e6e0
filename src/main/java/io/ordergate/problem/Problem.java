package io.ordergate.problem;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** An RFC 9457 problem document. */
public record Problem(Failure failure, String detail, String source, String requestId) {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** {@code {"type":…,"title":…,"status":…,"detail":} of each failure, encoded once. */
  private static final byte[][] PREFIX = new byte[Failure.values().length][];

  private static final byte[] SOURCE_FIELD = ",\"source\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] REQUEST_ID_FIELD = ",\"requestId\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);

  static {
    for (Failure f : Failure.values()) {
      StringBuilder sb = new StringBuilder(128).append("{\"type\":");
      quote(sb, f.type());
      sb.append(",\"title\":");
      quote(sb, f.title());
      sb.append(",\"status\":").append(f.status()).append(",\"detail\":");
      PREFIX[f.ordinal()] = sb.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("type", failure.type())
            .put("title", failure.title())
            .put("status", failure.status())
            .put("detail", detail);
    if (source != null) {
      json.put("source", source);
    }
    if (requestId != null) {
      json.put("requestId", requestId);
    }
    return json;
  }

  /**
   * The same document as {@code toJson().toBuffer()}, field for field and byte for byte, written by
   * hand: a refused request must stay cheap, and Jackson's generator setup is most of its cost.
   */
  public Buffer toBuffer() {
    return encode(failure, detail, source, requestId);
  }

  /**
   * {@link #toBuffer()} without the record: the refusal path encodes its facts directly, one object
   * fewer per refused request.
   */
  public static Buffer encode(Failure failure, String detail, String source, String requestId) {
    Head head = last;
    if (head == null || head.failure != failure || head.detail != detail || head.source != source) {
      head = new Head(failure, detail, source);
      last = head;
    }
    Buffer buf =
        Buffer.buffer(head.bytes.length + 64 + (requestId == null ? 0 : requestId.length()));
    buf.appendBytes(head.bytes);
    if (requestId != null) {
      appendQuoted(buf.appendBytes(REQUEST_ID_FIELD), requestId);
    }
    return buf.appendByte((byte) '}');
  }

  /**
   * The document of the last refusal up to its request id, shared by the event loops: a flood of
   * one source's refusals (same failure, same detail and source instances, as a decision table
   * hands them out) encodes them once instead of per request. Racy on purpose: a {@code Head} is
   * immutable (final fields, safely published), and a lost update only costs one more encoding.
   */
  private static Head last;

  private static final class Head {
    final Failure failure;
    final String detail;
    final String source;
    final byte[] bytes;

    Head(Failure failure, String detail, String source) {
      this.failure = failure;
      this.detail = detail;
      this.source = source;
      byte[] prefix = PREFIX[failure.ordinal()];
      Buffer buf = Buffer.buffer(prefix.length + 64 + (detail == null ? 0 : detail.length() + 16));
      buf.appendBytes(prefix);
      if (detail == null) {
        buf.appendBytes(NULL);
      } else {
        appendQuoted(buf, detail);
      }
      if (source != null) {
        appendQuoted(buf.appendBytes(SOURCE_FIELD), source);
      }
      this.bytes = buf.getBytes();
    }
  }

  private static void appendQuoted(Buffer buf, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        quote(sb, s);
        buf.appendString(sb.toString());
        return;
      }
    }
    buf.appendByte((byte) '"').appendString(s).appendByte((byte) '"'); // appendString writes UTF-8
  }

  /**
   * A JSON string as Jackson writes it: quote and backslash escaped, control characters as short
   * escapes (newline, tab, ...) or six-character unicode escapes, everything else as is.
   */
  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    int start = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        continue;
      }
      sb.append(s, start, i);
      start = i + 1;
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default ->
            sb.append("\\u")
                .append(HEX[c >> 12 & 0xf])
                .append(HEX[c >> 8 & 0xf])
                .append(HEX[c >> 4 & 0xf])
                .append(HEX[c & 0xf]);
      }
    }
    sb.append(s, start, n).append('"');
  }
}
