package io.ordergate.audit;

/** A place in the spool: a segment's sequence number and a byte offset inside it. */
record SpoolPosition(long segment, long offset) implements Comparable<SpoolPosition> {

  SpoolPosition {
    if (segment < 0 || offset < 0) {
      throw new IllegalArgumentException("negative spool position " + segment + "/" + offset);
    }
  }

  @Override
  public int compareTo(SpoolPosition o) {
    int bySegment = Long.compare(segment, o.segment);
    return bySegment != 0 ? bySegment : Long.compare(offset, o.offset);
  }

  static SpoolPosition max(SpoolPosition a, SpoolPosition b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
