package io.ordergate.traffic;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed authentications per client address ({@code ORDERGATE_AUTH_FAILURES_PER_MINUTE}): a token
 * bucket per address that holds ten seconds' worth and refills at the per-minute rate. An address
 * over it gets 429 and a closed connection instead of a 401, so guessing keys costs a new
 * connection each time and shows in {@code ordergate_requests_total{decision="auth-failures-
 * limited"}}. Valid keys never touch it: a source behind the same address as a guesser still
 * passes.
 */
final class AuthFailures {
  /** Addresses tracked at most; beyond it, full buckets are dropped first. */
  static final int MAX_ADDRESSES = 50_000;

  private final double perNano;
  private final double capacity;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  /**
   * @param perMinute failures per address and minute; 0 turns the limit off
   */
  AuthFailures(int perMinute, LongSupplier nanoTime) {
    this.perNano = perMinute / 60e9;
    this.capacity = Math.max(1, perMinute / 6.0);
    this.nanoTime = nanoTime;
  }

  boolean enabled() {
    return perNano > 0;
  }

  /**
   * Records one failed authentication from {@code address}; false when the address is over its
   * limit (the failure is not answered 401 then, but refused).
   */
  boolean allow(String address) {
    if (!enabled() || address == null) {
      return true;
    }
    long now = nanoTime.getAsLong();
    if (buckets.size() >= MAX_ADDRESSES && !buckets.containsKey(address)) {
      sweep(now);
      if (buckets.size() >= MAX_ADDRESSES) {
        return true; // too many addresses to track: fail open rather than grow without bound
      }
    }
    Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(capacity, now));
    synchronized (bucket) {
      bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * perNano);
      bucket.at = now;
      if (bucket.tokens < 1) {
        return false;
      }
      bucket.tokens -= 1;
      return true;
    }
  }

  /** Addresses tracked now. */
  int tracked() {
    return buckets.size();
  }

  /** Drops addresses whose bucket has refilled: they are as good as new. */
  private void sweep(long now) {
    buckets
        .entrySet()
        .removeIf(
            e -> {
              Bucket b = e.getValue();
              synchronized (b) {
                return b.tokens + (now - b.at) * perNano >= capacity;
              }
            });
  }
}
