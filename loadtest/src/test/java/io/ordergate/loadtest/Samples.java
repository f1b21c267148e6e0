package io.ordergate.loadtest;

import java.util.Arrays;

/** Response times (ms) collected from many virtual users; percentiles computed once at the end. */
final class Samples {
  private long[] values = new long[4096];
  private int size;

  synchronized void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  synchronized int count() {
    return size;
  }

  /** Nearest-rank percentile, or -1 without samples. */
  synchronized long percentile(double p) {
    if (size == 0) {
      return -1;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return nearestRank(sorted, p);
  }

  /** The nearest-rank percentile {@code p} of sorted, non-empty {@code sorted}. */
  static long nearestRank(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
