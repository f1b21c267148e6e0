package io.ordergate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.db.Database;
import io.ordergate.db.Migrations;
import io.ordergate.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * COPY in binary format stores every value exactly as the text format did: the same rows through
 * both sinks read back the same, awkward values included.
 */
class CopySinkIT {
  static Vertx vertx;
  static Pool pool;
  static DatabaseSettings settings;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    settings = new DatabaseSettings(TestDatabase.fresh("copysink"), 2);
    pool = Database.pool(vertx, settings);
    Await.result(Migrations.migrate(pool), 60);
  }

  @AfterAll
  static void stop() {
    Await.result(pool.close(), 30);
    Await.result(vertx.close(), 30);
  }

  static List<AuditRecord> records(String prefix, long now) {
    return List.of(
        new AuditRecord(
            prefix + "-1",
            "web",
            "POST",
            "/orders?x=\t\\n\r\n",
            "forwarded",
            201,
            "ord-é€😀",
            Long.MAX_VALUE,
            now,
            now + 999_999,
            null,
            0),
        new AuditRecord(
            prefix + "-2",
            null,
            "GET",
            "/orders/\\N",
            "unknown-credentials",
            401,
            null,
            0,
            now - 1,
            now,
            "would-reject",
            42),
        new AuditRecord(
            prefix + "-3", "mobile", "PUT", "", "forwarded", -1, "", -7, now, now, "", 1));
  }

  static List<String> stored(String prefix) {
    List<String> out = new ArrayList<>();
    for (Row r :
        Await.result(
            pool.preparedQuery(
                    "SELECT substr(request_id, length($1) + 1) AS n, source_id, method, path,"
                        + " decision, status, backend_order_id, flag_revision,"
                        + " (extract(epoch FROM received_at) * 1000000)::bigint AS rec,"
                        + " (extract(epoch FROM completed_at) * 1000000)::bigint AS done,"
                        + " instance_id, shadow, intervention_id FROM audit"
                        + " WHERE request_id LIKE $1 || '-%' ORDER BY request_id")
                .execute(io.vertx.sqlclient.Tuple.of(prefix)),
            30)) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        sb.append(r.getValue(i)).append('|');
      }
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  void binaryAndTextStoreTheSameValues() throws Exception {
    long received;
    CopySink binary = new CopySink(settings.connectOptions(), "gw-1", true);
    CopySink text = new CopySink(settings.connectOptions(), "gw-1", false);
    try {
      long now = Instant.now().toEpochMilli() * 1000 + 123;
      List<AuditRecord> bin = records("bin", now);
      assertThat(binary.ship("b", bin, List.of(), new SpoolPosition(1, 10))).isZero();
      received = bin.get(0).receivedAtMicros();
      assertThat(text.ship("t", records("txt", now), List.of(), new SpoolPosition(1, 20))).isZero();
    } finally {
      binary.close();
      text.close();
    }
    List<String> fromBinary = stored("bin");
    assertThat(fromBinary).hasSize(3).isEqualTo(stored("txt"));
    assertThat(fromBinary.get(0))
        .contains("|/orders?x=\t\\n\r\n|")
        .contains("|ord-é€😀|")
        .contains("|" + Long.MAX_VALUE + "|" + received + "|" + (received + 999_999) + "|")
        .contains("|gw-1|null|null|");
    assertThat(fromBinary.get(1))
        .startsWith("-2|null|GET|/orders/\\N|")
        .endsWith("|would-reject|42|");
  }
}
