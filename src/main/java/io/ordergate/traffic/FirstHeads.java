package io.ordergate.traffic;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The traffic connections that have not completed their first request head, oldest first, and how
 * many there are. A working client sends its head as soon as it has connected and leaves at once;
 * what stays is slow, and is what makes way for a newcomer at the connection cap, or when more than
 * {@link #limit} connections wait at once.
 *
 * <p>Why a limit of their own: each open connection holds about 8.5 KiB of heap in Vert.x and Netty
 * (more than half of it an outbound queue Vert.x allocates per connection), reads a drip every
 * second and is answered at its deadline. Ten thousand slow connections opened within seconds
 * survived young collections together (tens of MiB copied, then promoted, then full collections to
 * make room), and the pauses were the legitimate requests' p99. Capping the slow ones at a quarter
 * of the connection cap, and at {@link #CEILING} whatever the cap, bounds that, and leaves the rest
 * of the cap to working clients.
 */
final class FirstHeads {
  /** One connection's place in the queue; from any thread. */
  static final class Entry {
    private final AtomicBoolean waiting = new AtomicBoolean(true);
    private final BooleanSupplier active;
    private final Runnable evict;

    /**
     * @param active whether the connection is still open
     * @param evict closes it unanswered; called from any thread, at most once
     */
    Entry(BooleanSupplier active, Runnable evict) {
      this.active = active;
      this.evict = evict;
    }

    boolean waiting() {
      return waiting.get();
    }
  }

  private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger count = new AtomicInteger();
  private final int limit;

  /**
   * @param limit connections allowed to wait for their first head at once, at least 1
   */
  FirstHeads(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit " + limit);
    }
    this.limit = limit;
  }

  /**
   * At most this many wait at once, whatever the cap. A quarter of the default cap (2,500) still
   * let slowloris keep about 21 MiB of connections alive through young collections, read 2,500
   * drips a second and answer 2,500 late heads at once; 500 hold about 4 MiB. A working client
   * sends its head as soon as it has connected, so it waits a moment, never among the 500 oldest.
   */
  static final int CEILING = 500;

  /** A quarter of the connection cap, at most {@link #CEILING}, at least 1. */
  static int limitFor(int connectionCap) {
    return Math.max(1, Math.min(CEILING, connectionCap / 4));
  }

  int limit() {
    return limit;
  }

  /** Connections waiting for their first head now. */
  int size() {
    return count.get();
  }

  /** A new connection; it waits until {@link #done}. */
  void add(Entry entry) {
    count.incrementAndGet();
    queue.add(entry);
  }

  /** True when more connections wait than the limit allows. */
  boolean overLimit() {
    return count.get() > limit;
  }

  /** The connection completed its first head, timed out or closed: it no longer waits. */
  void done(Entry entry) {
    if (entry.waiting.compareAndSet(true, false)) {
      count.decrementAndGet();
      Entry head;
      while ((head = queue.peek()) != null && !head.waiting()) {
        queue.remove(head); // the head of the queue: cheap; keeps the queue short
      }
    }
  }

  /** Evicts the connection that has waited longest; false when none waits. */
  boolean evictOldest() {
    Entry oldest;
    while ((oldest = queue.poll()) != null) {
      if (oldest.waiting.compareAndSet(true, false)) {
        count.decrementAndGet();
        if (oldest.active.getAsBoolean()) {
          oldest.evict.run();
          return true;
        }
      }
    }
    return false;
  }
}
