package io.ordergate.quarantine;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores held orders a batch at a time: while {@code maxWriting} batches are being written, the
 * orders that arrive meanwhile wait and go together in the next one, one transaction and one commit
 * for all of them. At a trickle every order is a batch of its own, as before; under a held flood (a
 * tripped source at 1,500 orders/s) PostgreSQL and the event loops do one transaction's round trips
 * and one commit per batch instead of per order, which is most of a held order's cost.
 *
 * <p>Each order still gets its own id, and its future completes (on the caller's context) only once
 * its batch is committed; a batch that fails fails every order in it, so none of them is answered
 * 202 and the client's retry is the only copy.
 */
final class HoldBatches {
  private final Pool pool;
  private final String insert;
  private final int maxBatch;
  private final int maxWriting;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private int writing;

  private record Waiting(Tuple args, Promise<Long> promise, Context context) {}

  /**
   * @param insert one order's INSERT with {@code RETURNING id}
   * @param maxBatch orders per transaction at most
   * @param maxWriting transactions at once at most (connections of {@code pool} taken)
   */
  HoldBatches(Pool pool, String insert, int maxBatch, int maxWriting) {
    if (maxBatch < 1 || maxWriting < 1) {
      throw new IllegalArgumentException(
          "batch size and batches at once must be positive, were " + maxBatch + ", " + maxWriting);
    }
    this.pool = pool;
    this.insert = insert;
    this.maxBatch = maxBatch;
    this.maxWriting = maxWriting;
  }

  /** The id of the stored order, once its batch is committed. */
  Future<Long> hold(Tuple args) {
    Promise<Long> promise = Promise.promise();
    List<Waiting> batch;
    synchronized (this) {
      waiting.add(new Waiting(args, promise, Vertx.currentContext()));
      batch = nextBatch();
    }
    if (batch != null) {
      write(batch);
    }
    return promise.future();
  }

  /** Under the lock: the next batch to write, taking a writing slot, or null. */
  private List<Waiting> nextBatch() {
    if (writing >= maxWriting || waiting.isEmpty()) {
      return null;
    }
    writing++;
    List<Waiting> batch = new ArrayList<>(Math.min(maxBatch, waiting.size()));
    while (batch.size() < maxBatch && !waiting.isEmpty()) {
      batch.add(waiting.poll());
    }
    return batch;
  }

  private void write(List<Waiting> batch) {
    List<Tuple> args = new ArrayList<>(batch.size());
    batch.forEach(w -> args.add(w.args()));
    Future<RowSet<Row>> stored;
    try {
      // A 202 promises the order survives a database crash too, whatever the server's default.
      stored =
          pool.withTransaction(
              conn ->
                  conn.query("SET LOCAL synchronous_commit = on")
                      .execute()
                      .compose(v -> conn.preparedQuery(insert).executeBatch(args)));
    } catch (RuntimeException e) {
      stored = Future.failedFuture(e);
    }
    stored.onComplete(
        ar -> {
          if (ar.succeeded()) {
            RowSet<Row> rows = ar.result();
            for (Waiting w : batch) {
              long id = rows.iterator().next().getLong(0);
              complete(w, Future.succeededFuture(id));
              rows = rows.next();
            }
          } else {
            batch.forEach(w -> complete(w, Future.failedFuture(ar.cause())));
          }
          List<Waiting> next;
          synchronized (this) {
            writing--;
            next = nextBatch();
          }
          if (next != null) {
            write(next);
          }
        });
  }

  /** Completes on the context the order came from: its request is answered from there. */
  private static void complete(Waiting w, Future<Long> result) {
    if (w.context() == null || w.context() == Vertx.currentContext()) {
      w.promise().handle(result);
    } else {
      w.context().runOnContext(v -> w.promise().handle(result));
    }
  }
}
