package io.ordergate.traffic;

import io.ordergate.problem.Failure;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The cap on held orders per source and second on this replica ({@code
 * ORDERGATE_QUARANTINE_HOLD_RATE}). A held flood (a tripped source at ten times its rate) would
 * otherwise cost PostgreSQL a stored row, and the gateway a transaction's share, for every one of
 * its orders, on the cores legitimate sources need. Beyond the cap an order is refused 429 {@code
 * source-over-hold-rate} before its body is read: neither stored nor forwarded, no PostgreSQL work,
 * audited like a throttled write (aggregated beyond the audit's sample). What is held stays a
 * steady sample of the flood to inspect or release.
 *
 * <p>A token bucket of one second's orders per source, kept as one number (the generic cell rate
 * algorithm): the time at which the bucket is full again. Lock-free; the refusal of each source is
 * built once, so a refused order allocates nothing here.
 */
final class HoldRate {
  /** No cap: every held order is stored (or refused by {@link HoldLimit} when PostgreSQL lags). */
  static final HoldRate NONE = new HoldRate(0, System::nanoTime);

  private static final long SECOND = 1_000_000_000L;

  private final int perSecond;
  private final long interval;
  private final long burst;
  private final LongSupplier nanos;
  private final ConcurrentMap<String, Bucket> bySource = new ConcurrentHashMap<>();

  private record Bucket(AtomicLong fullAt, Refusal refusal) {}

  /**
   * @param perSecond held orders per source and second; 0 for no cap
   * @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  HoldRate(int perSecond, LongSupplier nanos) {
    if (perSecond < 0) {
      throw new IllegalArgumentException("hold rate must not be negative, was " + perSecond);
    }
    this.perSecond = perSecond;
    this.interval = perSecond == 0 ? 0 : SECOND / perSecond;
    this.burst = SECOND - interval; // a full bucket admits one second's orders at once
    this.nanos = nanos;
  }

  /** Null when the source may store one more held order now (and takes it), else its refusal. */
  Refusal overCap(String source) {
    if (perSecond == 0) {
      return null;
    }
    Bucket bucket = bySource.get(source);
    if (bucket == null) {
      bucket = bySource.computeIfAbsent(source, this::bucket);
    }
    AtomicLong fullAt = bucket.fullAt();
    long now = nanos.getAsLong();
    while (true) {
      long at = fullAt.get();
      long from = at - now < 0 ? now : at; // an empty bucket since: it starts from now
      if (from - now > burst) {
        return bucket.refusal();
      }
      if (fullAt.compareAndSet(at, from + interval)) {
        return null;
      }
    }
  }

  private Bucket bucket(String source) {
    return new Bucket(
        new AtomicLong(nanos.getAsLong()),
        Refusal.of(
            Failure.SOURCE_OVER_HOLD_RATE,
            "the source's orders are being held, at most "
                + perSecond
                + " a second on this gateway; this one was neither stored nor forwarded,"
                + " send it again later",
            source));
  }
}
