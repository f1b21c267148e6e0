package io.ordergate.forward;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Splits the order system's capacity (concurrent forwards) among the sources that need it, in
 * proportion to their shares. Work-conserving: a source alone may use all of it; when several are
 * active, each is guaranteed {@code capacity × share / (sum of the active sources' shares)}, and
 * may borrow capacity beyond that only while no other source is waiting for its guarantee or could
 * still claim it (docs/architecture.md, "Fair share").
 *
 * <p>Plain synchronised state, no Vert.x: {@link FairShareGate} puts timers and contexts around it.
 * A source is active while it has forwards in flight or waiting.
 */
final class FairShare {
  /** What happens to one request asking for a slot. */
  enum Answer {
    /** It has a slot; {@link #release} gives it back. */
    ADMIT,
    /** Within its guarantee, but the capacity is held by borrowers: queued for the next slot. */
    WAIT,
    /** Beyond its guarantee while another source needs the capacity. */
    OVER_SHARE,
    /** Every slot is in use and nobody is below their guarantee: the order system is full. */
    SATURATED
  }

  /** A request queued for a slot. */
  static class Waiter {
    final String source;

    Waiter(String source) {
      this.source = source;
    }
  }

  /** One source's usage; fields written under the lock, read by gauges without it. */
  static final class Load {
    volatile int inFlight;
    volatile int waiting;

    boolean active() {
      return inFlight + waiting > 0;
    }
  }

  private final int capacity;
  private final ToIntFunction<String> shares;
  private final Map<String, Load> loads = new ConcurrentHashMap<>();
  private final Deque<Waiter> queue = new ArrayDeque<>();
  private int total;

  /**
   * @param shares a source's weight (at least 1); read at every decision, so a changed share
   *     applies to the next request
   */
  FairShare(int capacity, ToIntFunction<String> shares) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.shares = shares;
  }

  int capacity() {
    return capacity;
  }

  /** The guarantee of a source with {@code share} when the active shares sum to {@code active}. */
  static int guarantee(int capacity, int share, long activeShares) {
    if (activeShares <= 0) {
      return capacity;
    }
    return (int) Math.max(1, Math.min(capacity, (long) capacity * share / activeShares));
  }

  /**
   * Asks for a slot for {@code waiter}'s source. On {@link Answer#WAIT} the waiter is queued: it is
   * handed a slot by a later {@link #release} or removed by {@link #cancel}.
   */
  synchronized Answer offer(Waiter waiter) {
    String source = waiter.source;
    Load own = load(source);
    long activeShares = activeShares(source);
    int guarantee = guarantee(capacity, share(source), activeShares);
    if (own.inFlight + own.waiting < guarantee) {
      if (total < capacity) {
        admit(own);
        return Answer.ADMIT;
      }
      own.waiting++;
      queue.addLast(waiter);
      return Answer.WAIT;
    }
    int reserve = reserveForOthers(source, activeShares);
    if (queue.isEmpty() && total + reserve < capacity) {
      admit(own);
      return Answer.ADMIT;
    }
    return !queue.isEmpty() || reserve > 0 ? Answer.OVER_SHARE : Answer.SATURATED;
  }

  /**
   * Gives back a slot of {@code source}; returns the waiters that got a slot by it (to be resumed
   * by the caller, outside this lock).
   */
  synchronized List<Waiter> release(String source) {
    Load own = load(source);
    own.inFlight--;
    total--;
    List<Waiter> granted = List.of();
    while (total < capacity && !queue.isEmpty()) {
      Waiter next = queue.pollFirst();
      Load load = load(next.source);
      load.waiting--;
      admit(load);
      if (granted.isEmpty()) {
        granted = new ArrayList<>(2);
      }
      granted.add(next);
    }
    return granted;
  }

  /** Takes a waiter out of the queue; false when it already got a slot. */
  synchronized boolean cancel(Waiter waiter) {
    if (!queue.remove(waiter)) {
      return false;
    }
    load(waiter.source).waiting--;
    return true;
  }

  /** Forwards of the source in flight now (for its gauge). */
  int inFlight(String source) {
    Load load = loads.get(source);
    return load == null ? 0 : load.inFlight;
  }

  /** Requests of the source waiting for a slot now (for its gauge). */
  int waiting(String source) {
    Load load = loads.get(source);
    return load == null ? 0 : load.waiting;
  }

  synchronized int total() {
    return total;
  }

  private void admit(Load load) {
    load.inFlight++;
    total++;
  }

  private Load load(String source) {
    Load load = loads.get(source);
    return load != null ? load : loads.computeIfAbsent(source, s -> new Load());
  }

  private int share(String source) {
    return Math.max(1, shares.applyAsInt(source));
  }

  /** Shares of the active sources, counting {@code source} as active (it is asking). */
  private long activeShares(String source) {
    long sum = 0;
    for (Map.Entry<String, Load> e : loads.entrySet()) {
      if (e.getValue().active() || e.getKey().equals(source)) {
        sum += share(e.getKey());
      }
    }
    return sum;
  }

  /**
   * Capacity the other active sources are guaranteed but do not use yet: a borrower must leave it
   * free, so a source below its guarantee never has to wait for a borrower to finish.
   */
  private int reserveForOthers(String source, long activeShares) {
    int reserve = 0;
    for (Map.Entry<String, Load> e : loads.entrySet()) {
      Load load = e.getValue();
      if (!e.getKey().equals(source) && load.active()) {
        reserve +=
            Math.max(0, guarantee(capacity, share(e.getKey()), activeShares) - load.inFlight);
      }
    }
    return reserve;
  }
}
