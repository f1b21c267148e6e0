package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.db.Database;
import io.ordergate.demo.Demo;
import io.ordergate.intervention.Action;
import io.ordergate.intervention.Intervention;
import io.ordergate.intervention.InterventionStore;
import io.ordergate.source.SourceStore;
import io.ordergate.support.Eventually;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Listening;
import io.ordergate.support.TestDatabase;
import io.ordergate.support.TestStack;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications sent while the gateway cannot listen are lost, so what changed meanwhile must be
 * reloaded once it listens again. Deterministic: the gateway's LISTEN sessions are ended while its
 * database refuses new connections, the changes are committed then, and only afterwards may it
 * reconnect. No periodic reload of the registry during the test.
 */
class DatabaseReconnectIT {
  static final String NEW_PARTNER_KEY = "reconnect-partner-key-0123456789";

  TestStack stack;
  Pool oneConnection;
  Pool admin;
  String database;

  @AfterEach
  void stop() {
    if (admin != null) {
      allowConnections(true);
      Await.result(admin.close(), 30);
    }
    if (oneConnection != null) {
      Await.result(oneConnection.close(), 30);
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void changesMadeWhileTheGatewayCouldNotListenReachItOnceItReconnects() {
    stack = TestStack.withFlagsFile(Map.of("ORDERGATE_SOURCES_REFRESH_MS", "3600000"));
    GatewayHarness gateway = stack.gateway;
    String url = gateway.env().get("ORDERGATE_DATABASE_URL");
    database = PgConnectOptions.fromUri(url).getDatabase();
    // Opened now, used while the database refuses new connections: a pool of one keeps its session.
    oneConnection = Database.pool(stack.vertx, new DatabaseSettings(url, 1));
    admin =
        Database.pool(stack.vertx, new DatabaseSettings(TestDatabase.server().url("postgres"), 1));
    Eventually.await("the gateway listens", () -> Listening.onBothChannels(oneConnection));
    Await.result(admin.query("SELECT 1").execute(), 30);

    allowConnections(false);
    Listening.terminate(oneConnection);
    Eventually.await(
        "the gateway's LISTEN sessions are gone",
        () ->
            Listening.count(oneConnection, InterventionStore.CHANNEL)
                    + Listening.count(oneConnection, SourceStore.CHANNEL)
                == 0);
    Intervention kill =
        Await.result(
            new InterventionStore(oneConnection)
                .publish(Intervention.draft("mobile", Action.KILL, 0, "reconnect-test", "", "")),
            30);
    Await.result(new SourceStore(oneConnection).rotateKey("partner", NEW_PARTNER_KEY, false), 30);
    assertThat(Listening.count(oneConnection, InterventionStore.CHANNEL))
        .as("no LISTEN session could have seen the notifications")
        .isZero();
    assertThat(gateway.order("mobile").statusCode())
        .as("the kill has not reached the gateway yet")
        .isEqualTo(201);

    allowConnections(true);
    Eventually.await(
        "the gateway acknowledges the intervention published while it could not listen",
        () ->
            Await.result(new InterventionStore(oneConnection).acks(kill.id()), 30).stream()
                .anyMatch(a -> a.instanceId().equals(gateway.env().get("ORDERGATE_INSTANCE_ID"))));
    assertThat(gateway.order("mobile").statusCode()).isEqualTo(503);
    Eventually.await(
        "the key rotated while it could not listen is accepted",
        () ->
            GatewayHarness.send(
                        gateway
                            .orderRequest("partner", "{}")
                            .setHeader("Authorization", "Bearer " + NEW_PARTNER_KEY))
                    .statusCode()
                == 201);
    assertThat(
            GatewayHarness.send(
                    gateway
                        .orderRequest("partner", "{}")
                        .setHeader("Authorization", "Bearer " + Demo.keyOf("partner")))
                .statusCode())
        .as("the replaced key")
        .isEqualTo(401);
    Eventually.await(
        "both LISTEN sessions are back", () -> Listening.onBothChannels(oneConnection));
  }

  void allowConnections(boolean allow) {
    Await.result(
        admin.query("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS " + allow).execute(),
        30);
  }
}
