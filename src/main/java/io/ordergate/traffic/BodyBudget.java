package io.ordergate.traffic;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-body bytes a replica holds at once ({@code ORDERGATE_BODY_BUFFER_BYTES}), across all
 * requests. A request reserves its declared length when its head arrives, and each chunk beyond it
 * as it comes; it releases all of it when it ends. Without this, clients that declare large bodies
 * and send them slowly fill the heap.
 */
final class BodyBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  BodyBudget(long limit) {
    this.limit = limit;
  }

  /** Takes {@code bytes} from the budget; false (and nothing taken) when they do not fit. */
  boolean reserve(long bytes) {
    if (bytes <= 0) {
      return true;
    }
    while (true) {
      long now = used.get();
      if (now + bytes > limit) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    if (bytes > 0) {
      used.addAndGet(-bytes);
    }
  }

  long used() {
    return used.get();
  }

  long limit() {
    return limit;
  }
}
