package io.ordergate.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** The spool's two small files: its id, and the position up to which PostgreSQL has it all. */
final class SpoolFiles {
  private SpoolFiles() {}

  static SpoolPosition readCommitted(Path dir) throws IOException {
    Path file = dir.resolve("committed");
    if (!Files.exists(file)) {
      return new SpoolPosition(0, 0);
    }
    String[] parts = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
    return new SpoolPosition(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
  }

  /** Replaced whole (write, then rename): a crash leaves the old position or the new one. */
  static void writeCommitted(Path dir, SpoolPosition next) throws IOException {
    Path tmp = dir.resolve("committed.tmp");
    Files.writeString(tmp, next.segment() + " " + next.offset() + "\n", StandardCharsets.UTF_8);
    try {
      Files.move(tmp, dir.resolve("committed"), StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve("committed"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Names the spool in PostgreSQL's progress table, so two spools never mix. */
  static String readOrCreateId(Path dir) throws IOException {
    Path file = dir.resolve("spool.id");
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    String fresh = UUID.randomUUID().toString();
    Files.writeString(file, fresh + "\n", StandardCharsets.UTF_8);
    return fresh;
  }
}
