package io.ordergate.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The spool's framing: each record is its payload length (int), the payload's CRC32C (int), then
 * the payload. A frame that is cut short or fails its checksum ends the readable part of a segment:
 * that is what a crash in the middle of a write leaves behind.
 */
final class Frames {
  static final int HEADER = 8;
  static final int MAX_PAYLOAD = 1 << 20;
  private static final int CHUNK = 4 << 20;

  private Frames() {}

  /** Where a scan stopped: after the last whole frame, and whether a bad frame stopped it. */
  record Scan(long end, int frames, boolean corrupt) {}

  static int crc(byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload, 0, payload.length);
    return (int) crc.getValue();
  }

  /** Appends the frames of {@code payloads} to {@code into}, which must have room. */
  static void put(ByteBuffer into, byte[] payload) {
    into.putInt(payload.length).putInt(crc(payload)).put(payload);
  }

  static int size(byte[] payload) {
    return HEADER + payload.length;
  }

  /**
   * Reads whole frames from {@code from} up to {@code limit}, at most {@code max} of them, into
   * {@code out} (null: only count them).
   */
  static Scan scan(FileChannel ch, long from, long limit, int max, List<byte[]> out)
      throws IOException {
    long pos = from;
    int n = 0;
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(limit - from, HEADER)));
    while (pos < limit && n < max) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), limit - pos));
      int read = 0;
      while (buf.hasRemaining()) {
        int r = ch.read(buf, pos + read);
        if (r < 0) {
          break;
        }
        read += r;
      }
      buf.flip();
      int consumed = 0;
      while (n < max) {
        if (buf.remaining() < HEADER) {
          break;
        }
        int length = buf.getInt(buf.position());
        if (length <= 0 || length > MAX_PAYLOAD) {
          return new Scan(pos + consumed, n, true);
        }
        if (buf.remaining() < HEADER + length) {
          break;
        }
        int crc = buf.getInt(buf.position() + 4);
        byte[] payload = new byte[length];
        buf.get(buf.position() + HEADER, payload);
        if (crc(payload) != crc) {
          return new Scan(pos + consumed, n, true);
        }
        buf.position(buf.position() + HEADER + length);
        consumed += HEADER + length;
        n++;
        if (out != null) {
          out.add(payload);
        }
      }
      if (consumed == 0) {
        // Not even one whole frame left before the limit: a torn tail (or nothing at all).
        return new Scan(pos, n, true);
      }
      pos += consumed;
    }
    return new Scan(pos, n, false);
  }
}
