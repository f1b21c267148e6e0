package io.ordergate.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Rows in COPY's binary format: PostgreSQL reads each value as it is stored, so it parses no
 * timestamps, numbers or escapes (about a fifth of its CPU per row in text format). The column
 * types must match the table's exactly: text, int4, int8 and timestamptz.
 */
final class CopyBinary {
  private static final byte[] HEADER = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  /** 2000-01-01T00:00:00Z in epoch microseconds: PostgreSQL's timestamp epoch. */
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

  private final ByteArrayOutputStream out;

  CopyBinary(int expectedBytes) {
    out = new ByteArrayOutputStream(expectedBytes);
    out.write(HEADER, 0, HEADER.length);
  }

  CopyBinary row(int columns) {
    return short16(columns);
  }

  CopyBinary text(String s) {
    if (s == null) {
      return int32(-1);
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int32(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  /** A text value already in UTF-8. */
  CopyBinary bytes(byte[] utf8) {
    int32(utf8.length);
    out.write(utf8, 0, utf8.length);
    return this;
  }

  CopyBinary int4(int v) {
    return int32(4).int32(v);
  }

  CopyBinary int8(long v) {
    return int32(8).long64(v);
  }

  /** An int8 that is NULL when not positive (ids start at 1). */
  CopyBinary id(long v) {
    return v > 0 ? int8(v) : int32(-1);
  }

  CopyBinary time(long epochMicros) {
    return int32(8).long64(epochMicros - PG_EPOCH_MICROS);
  }

  /** The trailer, then the whole stream. */
  byte[] finish() {
    short16(-1);
    return out.toByteArray();
  }

  private CopyBinary short16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  private CopyBinary int32(int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  private CopyBinary long64(long v) {
    return int32((int) (v >>> 32)).int32((int) v);
  }
}
