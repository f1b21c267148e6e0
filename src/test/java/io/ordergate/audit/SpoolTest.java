package io.ordergate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir Path dir;

  private static List<byte[]> payloads(int from, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(("record-" + i).getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  private static List<String> strings(List<byte[]> payloads) {
    return payloads.stream().map(p -> new String(p, StandardCharsets.UTF_8)).toList();
  }

  /** Reads everything from the committed position and commits it, like the shipper. */
  private static List<String> drain(Spool spool) throws IOException {
    List<String> all = new ArrayList<>();
    while (true) {
      Spool.Read r = spool.read(spool.committed(), 7, Long.MAX_VALUE);
      if (r.payloads().isEmpty() && r.next().equals(spool.committed())) {
        return all;
      }
      all.addAll(strings(r.payloads()));
      spool.commit(r.next(), r.payloads().size(), r.bytes());
    }
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted().toList();
    }
  }

  @Test
  void recordsComeBackInOrderAcrossSegmentsAndShippedSegmentsAreDeleted() throws IOException {
    try (Spool spool = Spool.open(dir, 100)) {
      for (int i = 0; i < 10; i++) {
        spool.append(payloads(i * 5, 5), false);
      }
      assertThat(segments().size()).isGreaterThan(5);
      assertThat(spool.records()).isEqualTo(50);
      List<String> read = drain(spool);
      assertThat(read).hasSize(50).first().isEqualTo("record-0");
      assertThat(read).last().isEqualTo("record-49");
      assertThat(spool.records()).isZero();
      assertThat(spool.bytes()).isZero();
      assertThat(segments()).hasSize(1); // only the one still being written
    }
  }

  @Test
  void aReopenedSpoolReplaysOnlyWhatWasNotCommitted() throws IOException {
    String id;
    try (Spool spool = Spool.open(dir, 1 << 20)) {
      id = spool.id();
      spool.append(payloads(0, 10), false);
      Spool.Read first = spool.read(spool.committed(), 4, Long.MAX_VALUE);
      spool.commit(first.next(), 4, first.bytes());
    }
    try (Spool spool = Spool.open(dir, 1 << 20)) {
      assertThat(spool.id()).isEqualTo(id);
      assertThat(spool.records()).isEqualTo(6);
      assertThat(spool.committed()).isLessThan(spool.firstOwn());
      spool.append(payloads(10, 2), false);
      assertThat(drain(spool))
          .containsExactly(
              "record-4",
              "record-5",
              "record-6",
              "record-7",
              "record-8",
              "record-9",
              "record-10",
              "record-11");
    }
  }

  @Test
  void aTornTailLeftByACrashIsCutOffAndWritingGoesOn() throws IOException {
    try (Spool spool = Spool.open(dir, 1 << 20)) {
      spool.append(payloads(0, 3), false);
    }
    Path last = segments().get(segments().size() - 1);
    long whole = Files.size(last);
    // A crash in the middle of a write: a frame header promising more bytes than were written.
    try (var ch = Files.newByteChannel(last, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.allocate(12).putInt(100).putInt(1234).putInt(42).flip());
    }
    try (Spool spool = Spool.open(dir, 1 << 20)) {
      assertThat(Files.size(last)).isEqualTo(whole);
      assertThat(spool.records()).isEqualTo(3);
      spool.append(payloads(3, 1), false);
      assertThat(drain(spool)).containsExactly("record-0", "record-1", "record-2", "record-3");
      assertThat(spool.lostAtOpen()).isZero();
    }
  }

  @Test
  void aFlippedByteEndsTheReadablePartOfItsSegment() throws IOException {
    try (Spool spool = Spool.open(dir, 1 << 20)) {
      spool.append(payloads(0, 3), false);
    }
    Path last = segments().get(segments().size() - 1);
    byte[] bytes = Files.readAllBytes(last);
    bytes[bytes.length - 2] ^= 0x55; // inside the third record's payload: its CRC fails
    Files.write(last, bytes);
    try (Spool spool = Spool.open(dir, 1 << 20)) {
      assertThat(drain(spool)).containsExactly("record-0", "record-1");
    }
  }

  @Test
  void oneProcessAtATime() throws IOException {
    try (Spool spool = Spool.open(dir, 1 << 20)) {
      assertThatThrownBy(() -> Spool.open(dir, 1 << 20))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("in use");
    }
  }

  @Test
  void readsStopAtTheFirstSegmentOfThisProcessWhenReplaying() throws IOException {
    try (Spool spool = Spool.open(dir, 1 << 20)) {
      spool.append(payloads(0, 2), false);
    }
    try (Spool spool = Spool.open(dir, 1 << 20)) {
      spool.append(payloads(2, 2), false);
      Spool.Read old = spool.read(spool.committed(), 100, spool.firstOwn().segment());
      assertThat(strings(old.payloads())).containsExactly("record-0", "record-1");
      assertThat(old.next()).isEqualTo(spool.firstOwn());
    }
  }
}
