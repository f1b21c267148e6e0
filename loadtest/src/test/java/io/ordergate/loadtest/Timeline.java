package io.ordergate.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every request of a run by when it was sent, for a per-interval view ({@code -DtimelineFile}): the
 * legitimate orders' count, p50, p99, max and failures, and the flood's requests, per bucket of
 * {@code -DtimelineMs} (250) ms. Phase windows hide where in a window the tail comes from; this
 * shows whether it is a spike at one moment (the trip) or spread over the whole flood.
 */
final class Timeline {
  /** One kind of request (the legitimate orders, the flood): send times and response times. */
  static final class Series {
    private long[] sent = new long[8192];
    private long[] rt = new long[8192]; // -1: failed
    private int size;

    synchronized void add(long sentAtMillis, long responseMillis) {
      if (size == sent.length) {
        sent = Arrays.copyOf(sent, size * 2);
        rt = Arrays.copyOf(rt, size * 2);
      }
      sent[size] = sentAtMillis;
      rt[size++] = responseMillis;
    }

    /** The first send time, or {@code Long.MAX_VALUE} without requests. */
    synchronized long first() {
      long min = Long.MAX_VALUE;
      for (int i = 0; i < size; i++) {
        min = Math.min(min, sent[i]);
      }
      return min;
    }

    private synchronized TreeMap<Long, List<Long>> byBucket(long origin, long bucketMs) {
      TreeMap<Long, List<Long>> out = new TreeMap<>();
      for (int i = 0; i < size; i++) {
        out.computeIfAbsent(Math.floorDiv(sent[i] - origin, bucketMs), b -> new ArrayList<>())
            .add(rt[i]);
      }
      return out;
    }
  }

  final Series legit = new Series();
  final Series flood = new Series();

  /**
   * Writes the CSV to {@code -DtimelineFile} if set: one row per bucket, {@code t_ms} relative to
   * {@code origin} (FloodTrip: the flood's first order; SteadyMix: its first order), {@code
   * epoch_ms} absolute (to join other samplers).
   */
  void write(long origin) {
    String file = Params.string("timelineFile", "");
    if (file.isEmpty() || origin == Long.MAX_VALUE) {
      return;
    }
    long bucketMs = Math.max(1, (long) Params.number("timelineMs", 250));
    TreeMap<Long, List<Long>> legitBuckets = legit.byBucket(origin, bucketMs);
    TreeMap<Long, List<Long>> floodBuckets = flood.byBucket(origin, bucketMs);
    TreeSet<Long> all = new TreeSet<>(legitBuckets.keySet());
    all.addAll(floodBuckets.keySet());
    StringBuilder csv =
        new StringBuilder(
            "t_ms,epoch_ms,legit_count,legit_failures,legit_p50_ms,legit_p99_ms,legit_max_ms,"
                + "flood_sent,flood_p50_ms,flood_p99_ms\n");
    for (long b : all) {
      long[] l = stats(legitBuckets.getOrDefault(b, List.of()));
      long[] f = stats(floodBuckets.getOrDefault(b, List.of()));
      long[] row = {
        b * bucketMs, origin + b * bucketMs, l[0], l[1], l[2], l[3], l[4], f[0], f[2], f[3]
      };
      csv.append(Arrays.stream(row).mapToObj(Long::toString).collect(Collectors.joining(",")))
          .append('\n');
    }
    try {
      Path path = Path.of(file).toAbsolutePath();
      Files.createDirectories(path.getParent());
      Files.writeString(path, csv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {count, failures, p50, p99, max} of one bucket; -1 for percentiles without answers. */
  private static long[] stats(List<Long> values) {
    long[] ok = values.stream().mapToLong(Long::longValue).filter(v -> v >= 0).sorted().toArray();
    long failures = values.size() - ok.length;
    if (ok.length == 0) {
      return new long[] {values.size(), failures, -1, -1, -1};
    }
    return new long[] {
      values.size(),
      failures,
      Samples.nearestRank(ok, 50),
      Samples.nearestRank(ok, 99),
      ok[ok.length - 1]
    };
  }
}
