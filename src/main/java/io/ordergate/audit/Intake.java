package io.ordergate.audit;

import io.ordergate.problem.Failure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the request path hands over its records: a list in memory, taken whole by the spool writer
 * every flush interval. Refusals decided before anything was sent are sampled: the first {@code
 * sample} of each source in each second stay rows, the rest become exact counts per source,
 * decision, intervention and second. One short lock per record; event loops never wait on I/O here.
 */
final class Intake {
  /**
   * Refusals that never reached the order system and hold no order: only these are aggregated.
   * Everything that was or may have been forwarded, released or held keeps its row.
   */
  static final Set<String> AGGREGATABLE =
      Set.of(
          Failure.MALFORMED_REQUEST.slug(),
          Failure.BAD_PATH.slug(),
          Failure.MISSING_CREDENTIAL.slug(),
          Failure.UNKNOWN_CREDENTIAL.slug(),
          Failure.NOT_FOUND.slug(),
          Failure.METHOD_NOT_ALLOWED.slug(),
          Failure.BODY_TOO_LARGE.slug(),
          Failure.URI_TOO_LONG.slug(),
          Failure.HEADERS_TOO_LARGE.slug(),
          Failure.WRONG_ENVIRONMENT.slug(),
          Failure.SOURCE_THROTTLED.slug(),
          Failure.SOURCE_OVER_HOLD_RATE.slug(),
          Failure.SOURCE_DISABLED.slug(),
          Failure.AUDIT_UNAVAILABLE.slug());

  /** What the writer takes at a flush. */
  record Drained(List<AuditRecord> rows, List<Aggregate> aggregates, long oldestMillis) {
    boolean isEmpty() {
      return rows.isEmpty() && aggregates.isEmpty();
    }
  }

  private record Key(long second, String source, String decision, long interventionId) {}

  private final int sample;
  private List<AuditRecord> rows = new ArrayList<>();
  private Map<Key, long[]> counts = new HashMap<>();
  private final Map<String, long[]> windows = new HashMap<>(); // source -> {second, rows so far}
  // The count the last aggregated record went to: a flood of one source's refusals adds to it
  // without a key object or a map lookup per record. Cleared whenever counts is taken.
  private Key lastKey;
  private long[] lastCount;
  private long oldestMillis;
  private volatile int waiting;

  Intake(int sample) {
    this.sample = sample;
  }

  /** Takes the record as a row, or adds it to its second's count. */
  synchronized void add(AuditRecord r, long nowMillis) {
    if (rows.isEmpty() && counts.isEmpty()) {
      oldestMillis = nowMillis;
    }
    if (AGGREGATABLE.contains(r.decision())) {
      long second = Math.floorDiv(r.receivedAtMicros(), 1_000_000L);
      String source = r.sourceId() == null ? "" : r.sourceId();
      long[] window = windows.get(source);
      if (window == null) {
        window = new long[] {second, 0};
        windows.put(source, window);
      }
      if (window[0] != second) {
        window[0] = second;
        window[1] = 0;
      }
      if (window[1] >= sample) {
        countOf(second, r)[0]++;
        return;
      }
      window[1]++;
    }
    rows.add(r);
    waiting = rows.size();
  }

  private long[] countOf(long second, AuditRecord r) {
    Key k = lastKey;
    if (k != null
        && k.second() == second
        && k.interventionId() == r.interventionId()
        && k.decision().equals(r.decision())
        && Objects.equals(k.source(), r.sourceId())) {
      return lastCount;
    }
    k = new Key(second, r.sourceId(), r.decision(), r.interventionId());
    long[] count = counts.computeIfAbsent(k, x -> new long[1]);
    lastKey = k;
    lastCount = count;
    return count;
  }

  /** Records waiting as rows (aggregates take no room to speak of). */
  int waiting() {
    return waiting;
  }

  synchronized boolean isEmpty() {
    return rows.isEmpty() && counts.isEmpty();
  }

  synchronized Drained drain() {
    List<AuditRecord> taken = rows;
    Map<Key, long[]> takenCounts = counts;
    rows = new ArrayList<>(Math.max(16, taken.size()));
    counts = new HashMap<>();
    lastKey = null;
    lastCount = null;
    waiting = 0;
    List<Aggregate> aggregates = new ArrayList<>(takenCounts.size());
    takenCounts.forEach(
        (k, n) ->
            aggregates.add(
                new Aggregate(k.second(), k.source(), k.decision(), n[0], k.interventionId())));
    return new Drained(taken, aggregates, oldestMillis);
  }
}
