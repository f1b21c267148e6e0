package io.ordergate.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The payload of one spool record: a kind byte, then the fields in a fixed order. Strings are a
 * length (-1 for null) and UTF-8 bytes. The frame around it (length, CRC32C) is {@link Spool}'s.
 * Fields added later are appended and read only when present, so a spool written by an earlier
 * version (an upgrade with records not yet shipped) still decodes.
 */
final class EntryCodec {
  static final byte ROW = 1;
  static final byte AGGREGATE = 2;

  private EntryCodec() {}

  static byte[] encode(AuditRecord r) {
    byte[][] s = {
      utf8(r.requestId()),
      utf8(r.sourceId()),
      utf8(r.method()),
      utf8(r.path()),
      utf8(r.decision()),
      utf8(r.backendOrderId()),
      utf8(r.shadow())
    };
    ByteBuffer b = ByteBuffer.allocate(1 + 4 + 8 * 4 + size(s));
    b.put(ROW);
    putString(b, s[0]);
    putString(b, s[1]);
    putString(b, s[2]);
    putString(b, s[3]);
    putString(b, s[4]);
    b.putInt(r.status());
    putString(b, s[5]);
    b.putLong(r.flagRevision()).putLong(r.receivedAtMicros()).putLong(r.completedAtMicros());
    // Fields added later go last, so a spool written by an earlier version still reads: shadow,
    // then the intervention.
    putString(b, s[6]);
    b.putLong(r.interventionId());
    return b.array();
  }

  static byte[] encode(Aggregate a) {
    byte[][] s = {utf8(a.sourceId()), utf8(a.decision())};
    ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 8 + size(s));
    b.put(AGGREGATE).putLong(a.epochSecond());
    putString(b, s[0]);
    putString(b, s[1]);
    b.putLong(a.count());
    b.putLong(a.interventionId()); // last, like the row's later fields
    return b.array();
  }

  /** An {@link AuditRecord} or an {@link Aggregate}; fails on anything else. */
  static Object decode(byte[] payload) {
    ByteBuffer b = ByteBuffer.wrap(payload);
    byte kind = b.get();
    if (kind == ROW) {
      String requestId = getString(b);
      String sourceId = getString(b);
      String method = getString(b);
      String path = getString(b);
      String decision = getString(b);
      int status = b.getInt();
      String orderId = getString(b);
      long flagRevision = b.getLong();
      long receivedAt = b.getLong();
      long completedAt = b.getLong();
      String shadow = b.hasRemaining() ? getString(b) : null;
      long interventionId = b.hasRemaining() ? b.getLong() : 0;
      return new AuditRecord(
          requestId,
          sourceId,
          method,
          path,
          decision,
          status,
          orderId,
          flagRevision,
          receivedAt,
          completedAt,
          shadow,
          interventionId);
    }
    if (kind == AGGREGATE) {
      long second = b.getLong();
      String sourceId = getString(b);
      String decision = getString(b);
      long count = b.getLong();
      return new Aggregate(second, sourceId, decision, count, b.hasRemaining() ? b.getLong() : 0);
    }
    throw new IllegalArgumentException("unknown spool entry kind " + kind);
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static int size(byte[][] strings) {
    int n = 0;
    for (byte[] s : strings) {
      n += 4 + (s == null ? 0 : s.length);
    }
    return n;
  }

  private static void putString(ByteBuffer b, byte[] s) {
    if (s == null) {
      b.putInt(-1);
    } else {
      b.putInt(s.length).put(s);
    }
  }

  private static String getString(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0) {
      return null;
    }
    String s = new String(b.array(), b.position(), n, StandardCharsets.UTF_8);
    b.position(b.position() + n);
    return s;
  }
}
