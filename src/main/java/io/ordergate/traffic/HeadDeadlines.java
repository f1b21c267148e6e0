package io.ordergate.traffic;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The header deadline of every traffic connection, checked by one periodic sweep per event loop
 * rather than by a timer per request head. A timer per head cost every legitimate request a
 * scheduled task (allocated, put into and taken out of the event loop's timer heap, which a
 * slowloris attack fills with one entry per connection); now starting and completing a head only
 * sets two fields. The sweep looks at each connection of its loop every {@link #period}: at most
 * {@code ORDERGATE_MAX_CONNECTIONS} cheap checks, a twentieth of the deadline apart.
 *
 * <p>The connections a sweep finds overdue are closed {@link #BATCH} at a time, the next batch a
 * millisecond later: a slowloris attack opens thousands of connections within seconds, so thousands
 * come due in the same sweep, and answering and closing them all in one go (a 408, a count, an
 * audit row, a close each) held the event loop for tens of milliseconds, during which the
 * legitimate requests of the same loop waited. Between batches the loop reads and answers them.
 */
final class HeadDeadlines {
  /** A connection as the sweep sees it; its methods run on its event loop. */
  abstract static class Entry {
    private int slot = -1;

    /** In its loop's queue of overdue connections. */
    private boolean due;

    /** True when a head is in progress and began at least {@code timeoutNanos} before now. */
    abstract boolean overdue(long nowNanos, long timeoutNanos);

    /** Answers 408 and closes. */
    abstract void expire();
  }

  /** Overdue connections closed at once before the event loop gets back to its other work. */
  static final int BATCH = 16;

  /** The pause between two batches, in which the event loop serves its other connections. */
  static final long BATCH_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final long timeoutNanos;
  private final long periodNanos;
  private final Map<EventLoop, Sweep> loops = new ConcurrentHashMap<>();

  HeadDeadlines(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    this.periodNanos = period(timeout).toNanos();
  }

  /** A twentieth of the deadline (a head is answered at most 5 % late), 5 to 500 ms. */
  static Duration period(Duration timeout) {
    long millis = Math.max(5, Math.min(500, timeout.toMillis() / 20));
    return Duration.ofMillis(millis);
  }

  /** Watches the channel's heads from its event loop until it closes; from any thread. */
  void watch(Channel channel, Entry entry) {
    EventLoop loop = channel.eventLoop();
    Runnable start =
        () -> {
          if (channel.isActive()) {
            add(loop, entry);
            channel.closeFuture().addListener(f -> remove(loop, entry));
          }
        };
    if (loop.inEventLoop()) {
      start.run();
    } else {
      loop.execute(start);
    }
  }

  /** Watches the connection's heads until {@link #remove}; on the connection's event loop. */
  void add(EventLoop loop, Entry entry) {
    loops.computeIfAbsent(loop, Sweep::new).add(entry);
  }

  /** On the connection's event loop, when it has closed. */
  void remove(EventLoop loop, Entry entry) {
    Sweep sweep = loops.get(loop);
    if (sweep != null) {
      sweep.remove(entry);
    }
  }

  /** The connections of one event loop; touched only by that loop's thread. */
  private final class Sweep {
    final EventLoop loop;
    final ArrayList<Entry> entries = new ArrayList<>();
    final ArrayDeque<Entry> due = new ArrayDeque<>();
    boolean draining;
    ScheduledFuture<?> task;

    Sweep(EventLoop loop) {
      this.loop = loop;
    }

    void add(Entry entry) {
      entry.slot = entries.size();
      entries.add(entry);
      if (task == null) {
        task = loop.scheduleAtFixedRate(this::run, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
      }
    }

    void remove(Entry entry) {
      int i = entry.slot;
      if (i < 0) {
        return;
      }
      Entry last = entries.remove(entries.size() - 1);
      if (last != entry) {
        entries.set(i, last);
        last.slot = i;
      }
      entry.slot = -1;
      if (entries.isEmpty()) {
        task.cancel(false);
        task = null;
      }
    }

    void run() {
      long now = System.nanoTime();
      boolean found = false;
      for (Entry e : entries) {
        if (!e.due && e.overdue(now, timeoutNanos)) {
          e.due = true;
          due.add(e);
          found = true;
        }
      }
      if (found && !draining) {
        drain();
      }
    }

    /** Expires at most {@link #BATCH} overdue connections, and schedules the rest. */
    void drain() {
      long now = System.nanoTime();
      for (int i = 0; i < BATCH && !due.isEmpty(); i++) {
        Entry e = due.poll();
        e.due = false;
        // Still overdue: its head may have completed meanwhile, or the connection closed (closing
        // removes it from entries, not from this queue).
        if (e.overdue(now, timeoutNanos)) {
          e.expire();
        }
      }
      draining = !due.isEmpty();
      if (draining) {
        loop.schedule(this::drain, BATCH_PAUSE_NANOS, TimeUnit.NANOSECONDS);
      }
    }
  }
}
