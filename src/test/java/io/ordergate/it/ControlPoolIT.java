package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.db.Database;
import io.ordergate.intervention.Action;
import io.ordergate.intervention.Intervention;
import io.ordergate.intervention.InterventionStore;
import io.ordergate.support.Eventually;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.TestBackend;
import io.ordergate.trip.TripLimit;
import io.ordergate.trip.TripStore;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane does not wait behind the request path: with the request path's pool (size 1)
 * held by a write blocked on a lock, a confirmed kill and an auto-trip still apply, over the
 * control plane's own pool (ORDERGATE_DATABASE_CONTROL_POOL_SIZE). In the flood dry run that led
 * here, one shared pool made the intervention wait on the flood it was to stop.
 */
class ControlPoolIT {
  private Vertx vertx;
  private TestBackend backend;
  private GatewayHarness gateway;
  private Pool test;
  private SqlConnection locker;
  private Transaction lock;
  private final List<Thread> clients = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);

  @BeforeEach
  void start() {
    vertx = Gateway.newVertx();
    backend = TestBackend.start(vertx);
    Map<String, String> env = GatewayHarness.settings(backend.url());
    GatewayHarness.withFlagsFile(env);
    env.put("ORDERGATE_DATABASE_POOL_SIZE", "1");
    env.put("ORDERGATE_DATABASE_CONTROL_POOL_SIZE", "2");
    gateway = GatewayHarness.start(vertx, env);
    test = Database.pool(vertx, new DatabaseSettings(env.get("ORDERGATE_DATABASE_URL"), 3));
  }

  @AfterEach
  void stop() throws InterruptedException {
    running.set(false);
    if (lock != null) {
      Await.result(lock.rollback(), 30); // the blocked writes finish now
      locker.close();
    }
    for (Thread t : clients) {
      t.join(60_000);
    }
    if (gateway != null) {
      gateway.close();
    }
    if (test != null) {
      Await.result(test.close(), 30);
    }
    if (backend != null) {
      backend.close();
    }
    if (vertx != null) {
      Await.result(vertx.close(), 30);
    }
  }

  @Test
  void aKillAndATripApplyWhileTheRequestPathPoolIsExhausted() {
    assertThat(gateway.order("mobile").statusCode()).isEqualTo(201);
    exhaustTheRequestPathPool();

    // A confirmed kill: published as the kill command does, applied and acknowledged.
    InterventionStore interventions = new InterventionStore(test);
    Intervention kill =
        Await.result(
            interventions.publish(
                Intervention.draft("mobile", Action.KILL, 0, "alice", "INC-12 pool test", "")),
            30);
    String instance = gateway.env().get("ORDERGATE_INSTANCE_ID");
    Eventually.await(
        "the gateway acknowledges the kill",
        () ->
            Await.result(interventions.acks(kill.id()), 30).stream()
                .anyMatch(a -> a.instanceId().equals(instance)));
    HttpResponse<String> killed = gateway.order("mobile");
    assertThat(killed.statusCode()).as(killed.body()).isEqualTo(503);
    assertThat(killed.body()).contains("source-disabled");

    // An auto-trip: perftest over its trip rate is tripped (held) and the trip applied here.
    Await.result(new TripStore(test).setLimit("perftest", new TripLimit(5, 0)), 30);
    for (int i = 0; i < 4; i++) {
      send(() -> gateway.order("perftest"));
    }
    Eventually.await(
        "perftest is tripped by auto-trip and the gateway acknowledges it",
        () ->
            Await.result(
                        test.preparedQuery(
                                "SELECT count(*) FROM interventions i JOIN intervention_acks a"
                                    + " ON a.intervention_id = i.id WHERE i.source_id = 'perftest'"
                                    + " AND i.action = 'trip' AND i.actor = 'auto-trip'"
                                    + " AND a.instance_id = $1")
                            .execute(Tuple.of(instance)),
                        30)
                    .iterator()
                    .next()
                    .getLong(0)
                > 0);
    assertThat(gateway.ops("/metrics").body())
        .contains("ordergate_trips_total{action=\"hold\",source=\"perftest\"}");
  }

  /**
   * Locks the idempotency keys, then sends writes with a key: the first takes the only connection
   * of the request path's pool and waits on the lock; until the test ends, whatever else needs that
   * pool waits for a connection, as in a flood. Proven by the database check itself: it reports the
   * request path's pool timing out.
   */
  private void exhaustTheRequestPathPool() {
    locker = Await.result(test.getConnection(), 30);
    lock = Await.result(locker.begin(), 30);
    Await.result(
        locker.query("LOCK TABLE idempotency_keys IN ACCESS EXCLUSIVE MODE").execute(), 30);
    for (int i = 0; i < 3; i++) {
      String key = "blocked-" + i;
      send(
          () ->
              GatewayHarness.send(
                  gateway
                      .orderRequest("web", "{\"sku\":\"A-1\",\"qty\":1}")
                      .header("Idempotency-Key", key)));
    }
    Eventually.await(
        "a gateway write waits on the lock, holding the request path's only connection",
        () ->
            Await.result(
                        test.query(
                                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                    + " AND query LIKE '%idempotency_keys%'")
                            .execute(),
                        30)
                    .iterator()
                    .next()
                    .getLong(0)
                > 0);
    Eventually.await(
        "the database check reports the request path's pool exhausted",
        () -> gateway.ops("/ready").body().contains("request path pool"));
    // An exhausted pool is not PostgreSQL down: the outage alert must not page anyone for it.
    String metrics = gateway.ops("/metrics").body();
    assertThat(metrics).contains("ordergate_database_request_pool_up 0.0");
    assertThat(metrics).contains("ordergate_database_up 1.0");
    assertThat(gateway.ops("/ready").body()).contains("up, but request path pool");
  }

  /** Sends from a thread of its own, again and again until the test ends. */
  private void send(java.util.function.Supplier<HttpResponse<String>> request) {
    Thread t =
        new Thread(
            () -> {
              while (running.get()) {
                try {
                  request.get();
                } catch (RuntimeException e) {
                  // a timeout while the pool is held: keep sending
                }
              }
            });
    t.setDaemon(true);
    t.start();
    clients.add(t);
  }
}
