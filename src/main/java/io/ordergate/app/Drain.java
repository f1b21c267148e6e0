package io.ordergate.app;

import io.ordergate.traffic.TrafficHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Waits, without blocking, until the traffic handler has no request in flight. */
final class Drain {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private static final long CHECK_MILLIS = 10;

  private Drain() {}

  /** Completes once no request is in flight, or at the deadline (epoch millis). */
  static Future<Void> awaitIdle(Vertx vertx, TrafficHandler handler, long deadline) {
    Promise<Void> idle = Promise.promise();
    check(vertx, handler, deadline, idle);
    return idle.future();
  }

  private static void check(
      Vertx vertx, TrafficHandler handler, long deadline, Promise<Void> idle) {
    int left = handler.inFlight();
    if (left == 0) {
      LOG.info("No request in flight");
      idle.complete();
    } else if (System.currentTimeMillis() > deadline) {
      LOG.warn("Drain deadline reached with {} requests still in flight", left);
      idle.complete();
    } else {
      vertx.setTimer(CHECK_MILLIS, id -> check(vertx, handler, deadline, idle));
    }
  }
}
