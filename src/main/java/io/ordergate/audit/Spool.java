package io.ordergate.audit;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only spool of framed records ({@link Frames}) in numbered segment files. One thread
 * appends ({@link #append}), one thread reads and commits ({@link #read}, {@link #commit}); a
 * committed position is written to a small file and the segments wholly before it are deleted. Each
 * process appends to a segment of its own, so a torn tail left by a crash is only ever cut off at
 * the next open, never written after.
 */
final class Spool implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  private static final String PREFIX = "segment-";
  private static final String SUFFIX = ".log";

  private final Path dir;
  private final long segmentBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final String id;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong records = new AtomicLong();
  private final SpoolPosition firstOwn;
  private volatile SpoolPosition committed;
  private volatile SpoolPosition writeEnd;
  private FileChannel out;
  private long lostAtOpen;

  private Spool(Path dir, long segmentBytes) throws IOException {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    Files.createDirectories(dir);
    lockChannel =
        FileChannel.open(
            dir.resolve("spool.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock held;
    try {
      held = lockChannel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      held = null; // this JVM has it already
    }
    lock = held;
    if (lock == null) {
      lockChannel.close();
      throw new IOException("the spool " + dir + " is in use by another process");
    }
    id = SpoolFiles.readOrCreateId(dir);
    List<Long> segments = segments();
    SpoolPosition start = SpoolFiles.readCommitted(dir);
    if (!segments.isEmpty() && start.segment() < segments.get(0)) {
      start = new SpoolPosition(segments.get(0), 0);
    }
    committed = start;
    long last = start.segment();
    for (long seq : segments) {
      if (seq < start.segment()) {
        Files.deleteIfExists(segment(seq));
        continue;
      }
      recover(
          seq,
          seq == start.segment() ? start.offset() : 0,
          seq == segments.get(segments.size() - 1));
      last = Math.max(last, seq);
    }
    firstOwn = new SpoolPosition(segments.isEmpty() ? start.segment() + 1 : last + 1, 0);
    openSegment(firstOwn.segment());
  }

  /**
   * Opens (creating) the spool in {@code dir}, cutting off torn tails; locks it for this process.
   */
  static Spool open(Path dir, long segmentBytes) throws IOException {
    return new Spool(dir, segmentBytes);
  }

  String id() {
    return id;
  }

  /** Records before this position were written by an earlier process and are replayed. */
  SpoolPosition firstOwn() {
    return firstOwn;
  }

  SpoolPosition committed() {
    return committed;
  }

  SpoolPosition writeEnd() {
    return writeEnd;
  }

  /** Bytes appended and not yet committed. */
  long bytes() {
    return bytes.get();
  }

  long records() {
    return records.get();
  }

  /** Frames found damaged in the middle of the spool at open (not a torn tail): lost. */
  long lostAtOpen() {
    return lostAtOpen;
  }

  /**
   * Appends the payloads as one write; on failure nothing of it counts and the file is cut back.
   */
  void append(List<byte[]> payloads, boolean fsync) throws IOException {
    if (out == null) {
      openSegment(writeEnd.segment() + 1);
    }
    if (payloads.isEmpty()) {
      return;
    }
    int total = 0;
    for (byte[] p : payloads) {
      total += Frames.size(p);
    }
    ByteBuffer buf = ByteBuffer.allocate(total);
    payloads.forEach(p -> Frames.put(buf, p));
    buf.flip();
    SpoolPosition end = writeEnd;
    try {
      long at = end.offset();
      while (buf.hasRemaining()) {
        at += out.write(buf, at);
      }
      if (fsync) {
        out.force(false);
      }
    } catch (IOException e) {
      try {
        out.truncate(end.offset());
      } catch (IOException again) {
        e.addSuppressed(again);
        out.close();
        out = null; // the next append opens a new segment: never append behind a torn frame
      }
      throw e;
    }
    bytes.addAndGet(total);
    records.addAndGet(payloads.size());
    writeEnd = new SpoolPosition(end.segment(), end.offset() + total);
    if (end.offset() + total >= segmentBytes) {
      openSegment(end.segment() + 1);
    }
  }

  /** What {@link #read} found: payloads in order, and the position right after the last one. */
  record Read(List<byte[]> payloads, SpoolPosition next, long bytes) {}

  /**
   * Up to {@code max} records from {@code from}, never past what has been appended, nor into
   * segment {@code stopAt} or later when starting before it.
   */
  Read read(SpoolPosition from, int max, long stopAt) throws IOException {
    SpoolPosition end = writeEnd;
    List<byte[]> payloads = new ArrayList<>();
    SpoolPosition pos = from;
    long read = 0;
    while (payloads.size() < max
        && pos.segment() <= end.segment()
        && (from.segment() >= stopAt || pos.segment() < stopAt)) {
      Path file = segment(pos.segment());
      boolean current = pos.segment() == end.segment();
      long limit = current ? end.offset() : Files.exists(file) ? Files.size(file) : 0;
      if (pos.offset() < limit) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
          Frames.Scan scan = Frames.scan(ch, pos.offset(), limit, max - payloads.size(), payloads);
          read += scan.end() - pos.offset();
          if (scan.corrupt()) {
            LOG.error(
                "Audit spool segment {} is damaged at byte {}; skipping its rest",
                file,
                scan.end());
            read += limit - scan.end();
            pos = new SpoolPosition(pos.segment(), limit);
          } else {
            pos = new SpoolPosition(pos.segment(), scan.end());
          }
        }
      } else if (!current) {
        pos = new SpoolPosition(pos.segment() + 1, 0);
      } else {
        break;
      }
    }
    return new Read(payloads, pos, read);
  }

  /** Everything before {@code next} is in PostgreSQL: remember that, drop finished segments. */
  void commit(SpoolPosition next, long doneRecords, long doneBytes) throws IOException {
    SpoolFiles.writeCommitted(dir, next);
    SpoolPosition before = committed;
    committed = next;
    records.addAndGet(-doneRecords);
    bytes.addAndGet(-doneBytes);
    for (long seq = before.segment(); seq < next.segment(); seq++) {
      Files.deleteIfExists(segment(seq));
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (out != null) {
        out.close();
      }
    } finally {
      lock.release();
      lockChannel.close();
    }
  }

  private void openSegment(long seq) throws IOException {
    FileChannel next =
        FileChannel.open(
            segment(seq),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    if (out != null) {
      out.close();
    }
    out = next;
    writeEnd = new SpoolPosition(seq, 0);
  }

  /** Counts a segment's whole frames from {@code from}; cuts off what follows the last one. */
  private void recover(long seq, long from, boolean last) throws IOException {
    Path file = segment(seq);
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      Frames.Scan scan = Frames.scan(ch, from, size, Integer.MAX_VALUE, null);
      if (scan.end() < size) {
        if (last) {
          LOG.warn(
              "Audit spool: cut a torn tail of {} bytes off {} (left by a crash)",
              size - scan.end(),
              file);
        } else {
          lostAtOpen++;
          LOG.error("Audit spool: {} is damaged at byte {}; its rest is lost", file, scan.end());
        }
        ch.truncate(scan.end());
      }
      bytes.addAndGet(scan.end() - from);
      records.addAndGet(scan.frames());
    }
  }

  private Path segment(long seq) {
    return dir.resolve(PREFIX + String.format("%020d", seq) + SUFFIX);
  }

  private List<Long> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith(PREFIX) && n.endsWith(SUFFIX))
          .map(n -> Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length())))
          .sorted()
          .toList();
    }
  }
}
