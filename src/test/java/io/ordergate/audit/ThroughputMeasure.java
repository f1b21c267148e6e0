package io.ordergate.audit;

import io.ordergate.app.Await;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.db.Database;
import io.ordergate.db.Migrations;
import io.ordergate.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputMeasure {
  @Test
  void measure() throws Exception {
    Vertx vertx = Vertx.vertx();
    DatabaseSettings db = new DatabaseSettings(TestDatabase.fresh("measure"), 2);
    Pool pool = Database.pool(vertx, db);
    Await.result(Migrations.migrate(pool), 60);
    AuditStore store = new AuditStore(pool, "measure");
    CopySink sink = new CopySink(db.connectOptions(), "measure");
    int n = 200_000;
    int batch = 5_000;
    for (int round = 0; round < 2; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i += batch) {
        Await.result(store.insert(records(i, batch)), 60);
      }
      long insert = System.nanoTime() - t0;
      t0 = System.nanoTime();
      for (int i = 0; i < n; i += batch) {
        sink.ship("m", records(i, batch), List.of(), new SpoolPosition(1, i));
      }
      long copy = System.nanoTime() - t0;
      System.out.printf(
          "MEASURE round %d: %d records, batches of %d: INSERT unnest %.0f/s, COPY text %.0f/s%n",
          round, n, batch, n / (insert / 1e9), n / (copy / 1e9));
    }
    sink.close();
  }

  static List<AuditRecord> records(int from, int n) {
    List<AuditRecord> out = new ArrayList<>(n);
    long now = System.currentTimeMillis() * 1000;
    for (int i = from; i < from + n; i++) {
      out.add(
          new AuditRecord(
              "req-" + i,
              "web",
              "POST",
              "/orders",
              "forwarded",
              201,
              "ord-" + i,
              3,
              now,
              now + 900));
    }
    return out;
  }
}
