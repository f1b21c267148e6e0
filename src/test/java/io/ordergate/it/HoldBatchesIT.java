package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.db.Database;
import io.ordergate.db.Migrations;
import io.ordergate.quarantine.HeldOrder;
import io.ordergate.quarantine.QuarantineStore;
import io.ordergate.support.TestDatabase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Held orders stored a batch at a time: the orders that arrive while a batch is being written go
 * together in the next transaction, each with its own id and row, each answered on the context it
 * came from; a batch that fails stores none of its orders. A table lock held by the test keeps the
 * first batch waiting, so what queues behind it does not depend on timing.
 */
class HoldBatchesIT {
  static Vertx vertx;
  static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Gateway.newVertx();
    pool = Database.pool(vertx, new DatabaseSettings(TestDatabase.fresh("holds"), 4));
    Await.result(Migrations.migrate(pool), 60);
  }

  @AfterAll
  static void stop() {
    pool.close();
    vertx.close();
  }

  @BeforeEach
  void empty() {
    Await.result(pool.query("DELETE FROM quarantine").execute(), 30);
  }

  @Test
  void ordersArrivingDuringABatchAreStoredTogetherEachWithItsOwnIdRowAndContext() {
    QuarantineStore store = new QuarantineStore(pool, "test", 1);
    int n = 200;
    SqlConnection lock = locked();
    List<Future<Long>> ids = new ArrayList<>();
    Set<Boolean> sameContext = new HashSet<>();
    Context context = vertx.getOrCreateContext();
    Promise<Void> sent = Promise.promise();
    context.runOnContext(
        v -> {
          for (int i = 0; i < n; i++) {
            ids.add(
                store
                    .hold(order("source-" + (i % 3), "req-" + i, "order " + i))
                    .onComplete(ar -> sameContext.add(Vertx.currentContext() == context)));
          }
          sent.complete();
        });
    Await.result(sent.future(), 30);
    Await.result(lock.query("COMMIT").execute().eventually(lock::close), 30);
    Await.result(Future.all(ids), 60);

    for (int i = 0; i < n; i++) {
      Row row =
          Await.result(
                  pool.preparedQuery(
                          "SELECT request_id, body, source_id FROM quarantine WHERE id = $1")
                      .execute(Tuple.of(ids.get(i).result())),
                  30)
              .iterator()
              .next();
      assertThat(row.getString(0)).isEqualTo("req-" + i);
      assertThat(row.getBuffer(1).toString()).isEqualTo("order " + i);
      assertThat(row.getString(2)).isEqualTo("source-" + (i % 3));
    }
    assertThat(ids.stream().map(Future::result).distinct()).hasSize(n);
    assertThat(sameContext).containsExactly(true);
    // The first order waited for the lock alone; the other 199 queued meanwhile: 64 + 64 + 64 + 7.
    assertThat(scalar("SELECT count(DISTINCT xmin::text) FROM quarantine")).isEqualTo(5);
    assertThat(scalar("SELECT count(*) FROM quarantine")).isEqualTo(n);
  }

  @Test
  void aBatchThatFailsStoresNoneOfItsOrdersAndFailsEach() {
    QuarantineStore store = new QuarantineStore(pool, "test", 1);
    SqlConnection lock = locked();
    Future<Long> first = store.hold(order("web", "alone", "first"));
    List<Future<Long>> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(store.hold(order("web", "req-" + i, "ok")));
    }
    batch.add(store.hold(order(null, "broken", "no source"))); // NOT NULL: the batch fails
    Await.result(lock.query("COMMIT").execute().eventually(lock::close), 30);

    assertThat(Await.result(first, 30)).isPositive();
    for (Future<Long> f : batch) {
      Await.result(f.transform(ar -> Future.succeededFuture()), 30);
      assertThat(f.failed()).isTrue();
    }
    assertThat(scalar("SELECT count(*) FROM quarantine")).isEqualTo(1);
    // and the next order is stored again
    assertThat(Await.result(store.hold(order("web", "after", "later")), 30)).isPositive();
  }

  /** A connection holding a lock that makes every INSERT into quarantine wait for its COMMIT. */
  private static SqlConnection locked() {
    SqlConnection conn = Await.result(pool.getConnection(), 30);
    Await.result(conn.query("BEGIN").execute(), 30);
    Await.result(conn.query("LOCK TABLE quarantine IN EXCLUSIVE MODE").execute(), 30);
    return conn;
  }

  private static long scalar(String sql) {
    return Await.result(pool.query(sql).execute(), 30).iterator().next().getLong(0);
  }

  private static HeldOrder order(String source, String requestId, String body) {
    return new HeldOrder(
        source,
        requestId,
        "POST",
        "/orders",
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json"),
        Buffer.buffer(body),
        Instant.parse("2026-12-02T10:00:00Z"));
  }
}
