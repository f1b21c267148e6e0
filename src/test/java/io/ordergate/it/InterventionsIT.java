package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.db.Database;
import io.ordergate.demo.Demo;
import io.ordergate.demo.UnleashServer;
import io.ordergate.flags.UnleashAdmin;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Jar;
import io.ordergate.support.Ports;
import io.ordergate.support.TestBackend;
import io.ordergate.support.TestDatabase;
import io.ordergate.support.TestUnleash;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Interventions across a fleet: three gateway replicas as processes, one database, the real Unleash
 * server with its webhook addon pointing at replica 0. Flags are polled only once a minute, so a
 * change that arrives fast arrived by intervention or webhook.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InterventionsIT {
  static final String WEBHOOK_TOKEN = "test-webhook-token-0123456789";
  static final int REPLICAS = 3;

  /** Starts faster and lighter on a shared machine; these processes serve a handful of requests. */
  static final String QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

  static String unleashDb;
  static int unleashPort;
  static UnleashServer unleash;
  static UnleashAdmin admin;
  static Vertx vertx;
  static TestBackend backend;
  static String gatewayDb;
  static final List<Replica> replicas = new ArrayList<>();
  static final List<Replica> extra = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    unleashDb = TestDatabase.fresh("unleash");
    unleashPort = Ports.free();
    unleash = startUnleash();
    admin = TestUnleash.admin(unleash);
    vertx = Gateway.newVertx();
    backend = TestBackend.start(vertx);
    gatewayDb = TestDatabase.fresh("fleet");
    Pool pool = Database.pool(vertx, new DatabaseSettings(gatewayDb, 2));
    Await.result(Demo.seedSources(pool).eventually(pool::close), 60);
    for (int i = 0; i < REPLICAS; i++) {
      Replica r = launch("replica-" + i);
      replicas.add(r);
      r.awaitReady(); // one after the other: a shared machine may have little CPU to spare
    }
    admin.addWebhook(
        "http://127.0.0.1:" + replicas.get(0).ops() + "/ops/unleash-webhook",
        WEBHOOK_TOKEN,
        "InterventionsIT");
  }

  @AfterAll
  static void stop() {
    List<Replica> all = new ArrayList<>(replicas);
    all.addAll(extra);
    Replica.stopAll(all);
    // What each replica logged, for whoever reads a failure (target/fleet-<id>.log).
    for (Replica r : all) {
      try {
        Files.writeString(Path.of("target", "fleet-" + r.id() + ".log"), r.log());
      } catch (IOException e) {
        // diagnostics only
      }
    }
    if (unleash != null) {
      unleash.close();
    }
    if (backend != null) {
      backend.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  static UnleashServer startUnleash() {
    return UnleashServer.start(
        Path.of("flags"),
        unleashPort,
        unleashDb,
        Path.of("target", "unleash-fleet-" + System.nanoTime() + ".log"),
        Duration.ofSeconds(120));
  }

  static Replica launch(String id) throws IOException {
    Map<String, String> env = GatewayHarness.settings(backend.url());
    env.put("ORDERGATE_DATABASE_URL", gatewayDb);
    env.put("ORDERGATE_INSTANCE_ID", id);
    env.put("ORDERGATE_WEBHOOK_TOKEN", WEBHOOK_TOKEN);
    env.put("UNLEASH_FETCH_INTERVAL_MS", "60000");
    env.put("UNLEASH_URL", "http://127.0.0.1:" + unleashPort + "/api/");
    env.put("UNLEASH_API_TOKEN", UnleashServer.CLIENT_TOKEN);
    env.put(
        "UNLEASH_BACKUP_FILE",
        Files.createTempDirectory(Path.of("target"), "fleet").resolve("backup.json").toString());
    env.put("JAVA_TOOL_OPTIONS", QUICK_JVM);
    Process p = Jar.start(env, "serve");
    StringBuffer log = Jar.capture(p, id);
    int ops = Integer.parseInt(env.get("ORDERGATE_OPS_PORT"));
    return new Replica(id, p, Integer.parseInt(env.get("ORDERGATE_HTTP_PORT")), ops, log);
  }

  static Jar.Run cli(String... args) {
    Map<String, String> env = new HashMap<>();
    env.put("UNLEASH_ADMIN_URL", "http://127.0.0.1:" + unleashPort);
    env.put("UNLEASH_ADMIN_TOKEN", UnleashServer.ADMIN_TOKEN);
    env.put("ORDERGATE_DATABASE_URL", gatewayDb);
    env.put("JAVA_TOOL_OPTIONS", QUICK_JVM);
    return Jar.run(env, args);
  }

  static HttpResponse<String> webhook(int ops, String token) {
    return GatewayHarness.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops + "/ops/unleash-webhook"))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString("{}")));
  }

  static JsonObject replicasView(Replica r) {
    return new JsonObject(
        GatewayHarness.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.ops() + "/ops/replicas"))
                    .header("Authorization", "Bearer test-ops-token-0123456789"))
            .body());
  }

  @Test
  @Order(1)
  void confirmedKillAndReviveAreEnforcedByEveryReplicaWhenTheCommandReturns() {
    Jar.Run kill = cli("kill", "perftest", "--reason", "INC-7 rig on prod", "--by", "alice");
    assertThat(kill.exit()).as(kill.out()).isZero();
    assertThat(kill.out())
        .contains("perftest killed: 3/3 replicas refuse its writes")
        .contains("order-source.perftest")
        .contains("OFF");
    for (Replica r : replicas) {
      assertThat(r.order("perftest")).as(r.id()).isEqualTo(503);
      assertThat(r.order("web")).as(r.id()).isEqualTo(201);
    }
    for (Replica r : replicas) {
      Replica.await(
          () -> r.log().toString().contains("kill by alice (INC-7 rig on prod)"),
          r.id() + " logs the actor");
    }
    Jar.Run status = cli("status");
    assertThat(status.exit()).as(status.out()).isZero();
    assertThat(status.out())
        .contains("kill by alice (INC-7 rig on prod)")
        .contains("Replicas: 3 live")
        .containsPattern("perftest\\s+reject #\\d+\\s+reject #\\d+\\s+reject #\\d+");

    Jar.Run revive = cli("revive", "perftest", "--by", "alice");
    assertThat(revive.exit()).as(revive.out()).isZero();
    assertThat(revive.out()).contains("perftest revived: 3/3 replicas accept its writes");
    for (Replica r : replicas) {
      assertThat(r.order("perftest")).as(r.id()).isEqualTo(201);
    }
  }

  @Test
  @Order(2)
  void webhookWithAWrongTokenIsRefused() {
    HttpResponse<String> refused = webhook(replicas.get(0).ops(), "not-the-token-at-all");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(new JsonObject(refused.body()).getString("type")).endsWith("webhook-unauthorized");
    assertThat(webhook(replicas.get(0).ops(), WEBHOOK_TOKEN).statusCode()).isEqualTo(202);
  }

  @Test
  @Order(3)
  void webhookAppliesAUiStyleChangeOnEveryReplica() {
    admin.setEnabled("order-source.mobile", false); // what the UI toggle does
    replicas.forEach(r -> r.awaitOrderStatus("mobile", 503));
    awaitWebhook("feature-environment-disabled of order-source.mobile");
    admin.setEnabled("order-source.mobile", true);
    replicas.forEach(r -> r.awaitOrderStatus("mobile", 201));
    awaitWebhook("feature-environment-enabled of order-source.mobile");
  }

  @Test
  @Order(3)
  void aUiStyleSwitchIsAppliedFromTheWebhooksEventOnEveryReplica() {
    admin.setEnabled("order-source.partner", false);
    replicas.forEach(r -> r.awaitOrderStatus("partner", 503));
    // Each replica applied the event itself, or (Unleash published it before its webhook job ran)
    // had fetched it already.
    for (Replica r : replicas) {
      Replica.await(
          () ->
              r.log().toString().contains("Flag 'order-source.partner' off by Unleash event #")
                  || r.log().toString().contains("already include it"),
          r.id() + " applies the event of order-source.partner");
    }
    admin.setEnabled("order-source.partner", true);
    replicas.forEach(r -> r.awaitOrderStatus("partner", 201));
  }

  @Test
  @Order(3)
  void aSwitchInAnotherEnvironmentOrOfAnUnknownFlagChangesNothing() {
    long next = nextEventId();
    assertThat(
            webhookEvent(next, "feature-environment-disabled", "order-source.mobile", "development")
                .statusCode())
        .isEqualTo(202);
    assertThat(
            webhookEvent(next, "feature-environment-disabled", "order-source.nope", "production")
                .statusCode())
        .isEqualTo(202);
    for (Replica r : replicas) {
      Replica.await(
          () -> r.log().toString().contains("it is about environment 'development'"),
          r.id() + " ignores the other environment's event");
      Replica.await(
          () -> r.log().toString().contains("no flag 'order-source.nope'"),
          r.id() + " ignores the unknown flag's event");
      assertThat(r.order("mobile")).as(r.id()).isEqualTo(201);
    }
  }

  @Test
  @Order(3)
  void aLaterFetchThatDisagreesWithTheWebhooksEventWins() {
    // An event Unleash never made (sent with the token): every replica applies it at once...
    long next = nextEventId();
    assertThat(
            webhookEvent(next, "feature-environment-disabled", "order-source.mobile", "production")
                .statusCode())
        .isEqualTo(202);
    replicas.forEach(r -> r.awaitOrderStatus("mobile", 503));
    // ...until the flags fetched reach its revision: Unleash says mobile is on.
    admin.setEnabled("order-source.partner", false);
    replicas.forEach(r -> r.awaitOrderStatus("mobile", 201));
    for (Replica r : replicas) {
      assertThat(r.log().toString())
          .as(r.id())
          .contains("flag 'order-source.mobile' now as Unleash publishes it (event #" + next);
    }
    admin.setEnabled("order-source.partner", true);
    replicas.forEach(r -> r.awaitOrderStatus("partner", 201));
  }

  /** Unleash's revision as its client API publishes it now. */
  /**
   * An event id above every event Unleash has made so far, once its published revision has caught
   * up with them: a fake event composed while an earlier test's change still waits for Unleash's
   * publishing job would share that change's id, and the replicas' next fetch would settle it.
   */
  static long nextEventId() {
    for (String flag :
        java.util.List.of("order-source.mobile", "order-source.partner", "order-source.perftest")) {
      long latest = admin.latestEventId(flag);
      Replica.await(() -> clientRevision() >= latest, "Unleash publishes event " + latest);
    }
    return clientRevision() + 1;
  }

  static long clientRevision() {
    HttpResponse<String> r =
        GatewayHarness.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + unleashPort + "/api/client/features"))
                .header("Authorization", UnleashServer.CLIENT_TOKEN));
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonObject("meta").getLong("revisionId");
  }

  /** A webhook call with the body Unleash's addon sends by default: the event. */
  static HttpResponse<String> webhookEvent(long id, String type, String flag, String environment) {
    JsonObject event =
        new JsonObject()
            .put("id", id)
            .put("type", type)
            .put("createdBy", "InterventionsIT")
            .put("project", "default")
            .put("featureName", flag)
            .put("environment", environment);
    return GatewayHarness.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + replicas.get(0).ops() + "/ops/unleash-webhook"))
            .header("Authorization", "Bearer " + WEBHOOK_TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(event.encode())));
  }

  /**
   * The addon did call for this change: a refresh still running from an earlier call (the previous
   * test's) could have brought it too.
   */
  static void awaitWebhook(String event) {
    Replica receiver = replicas.get(0);
    Replica.await(
        () -> receiver.log().toString().contains(event),
        "Unleash's webhook addon calls " + receiver.id() + " for " + event);
  }

  @Test
  @Order(4)
  void aSigkilledReplicaIsGoneAndDoesNotBlockConfirmation() throws Exception {
    Replica doomed = launch("replica-doomed");
    extra.add(doomed);
    doomed.awaitReady();
    doomed.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);

    Jar.Run kill = cli("kill", "partner", "--reason", "drill");
    assertThat(kill.exit()).as(kill.out()).isZero();
    assertThat(kill.out()).contains("partner killed: 3/3 replicas refuse its writes");
    JsonArray fleet = replicasView(replicas.get(0)).getJsonArray("replicas");
    JsonObject gone =
        fleet.stream()
            .map(JsonObject.class::cast)
            .filter(j -> j.getString("instance").equals("replica-doomed"))
            .findFirst()
            .orElseThrow();
    assertThat(gone.getString("status")).isEqualTo("gone");
    assertThat(cli("status").out()).containsPattern("replica-doomed\\s+GONE");

    Jar.Run revive = cli("revive", "partner");
    assertThat(revive.exit()).as(revive.out()).isZero();
  }

  @Test
  @Order(5)
  void aKillWhileUnleashIsDownWorksAndALaterUnleashChangeOverridesIt() throws Exception {
    unleash.close();
    Jar.Run kill = cli("kill", "perftest", "--reason", "Unleash is down");
    assertThat(kill.exit()).as(kill.out()).isZero();
    assertThat(kill.out())
        .contains("cannot reach Unleash")
        .contains("perftest killed: 3/3 replicas refuse its writes");
    for (Replica r : replicas) {
      assertThat(r.order("perftest")).as(r.id()).isEqualTo(503);
    }
    // Started after the kill, with flags only from its bootstrap file (which says perftest is on).
    Replica late = launch("replica-late");
    extra.add(late);
    late.awaitReady();
    assertThat(late.order("perftest")).isEqualTo(503);

    unleash = startUnleash();
    Jar.Run status = cli("status");
    assertThat(status.out()).contains("Unleash disagrees").contains("order-source.perftest");

    // A later change in Unleash (here: throttle to 0/s, as from the UI) ends the intervention.
    admin.setVariant("order-source.perftest", "throttle", "{\"ratePerSecond\": 0}");
    List<Replica> all = new ArrayList<>(replicas);
    all.add(late);
    all.forEach(r -> r.awaitOrderStatus("perftest", 429));
    admin.setVariant("order-source.perftest", null, null);
    all.forEach(r -> r.awaitOrderStatus("perftest", 201));
  }
}
