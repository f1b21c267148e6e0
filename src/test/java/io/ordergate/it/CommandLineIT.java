package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.demo.UnleashServer;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Jar;
import io.ordergate.support.TestStack;
import io.ordergate.support.TestUnleash;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The packaged jar's commands, run as an operator would, against a real gateway and Unleash. */
class CommandLineIT {
  static UnleashServer unleash;
  static TestStack stack;
  static GatewayHarness gateway;

  record Run(int exit, String out) {}

  @BeforeAll
  static void start() {
    unleash = TestUnleash.shared();
    stack = TestStack.withUnleash(unleash);
    gateway = stack.gateway;
  }

  @AfterAll
  static void stop() {
    TestUnleash.admin(unleash).setEnabled("order-source.perftest", true);
    TestUnleash.admin(unleash).setEnabled("order-source.mobile", true);
    stack.close();
  }

  static Run jar(Map<String, String> env, String... args) {
    Jar.Run run = Jar.run(env, args);
    return new Run(run.exit(), run.out());
  }

  static Process start(Map<String, String> env, String... args) {
    return Jar.start(env, args);
  }

  /** Unleash admin settings and the database, so that commands confirm with the gateway. */
  private static Map<String, String> admin() {
    return Map.of(
        "UNLEASH_ADMIN_URL",
        unleash.baseUrl(),
        "UNLEASH_ADMIN_TOKEN",
        UnleashServer.ADMIN_TOKEN,
        "ORDERGATE_DATABASE_URL",
        gateway.env().get("ORDERGATE_DATABASE_URL"));
  }

  @Test
  void killStatusAndReviveGoThroughUnleash() throws Exception {
    Run kill = jar(admin(), "kill", "perftest");
    assertThat(kill.exit()).as(kill.out()).isZero();
    assertThat(kill.out()).contains("order-source.perftest").contains("OFF");
    gateway.awaitOrderStatus("perftest", 503);

    Run status = jar(admin(), "status");
    assertThat(status.exit()).isZero();
    assertThat(status.out())
        .containsPattern("perftest\\s+order-source\\.perftest\\s+OFF")
        .containsPattern("web\\s+order-source\\.web\\s+on");

    Run revive = jar(admin(), "revive", "perftest");
    assertThat(revive.exit()).as(revive.out()).isZero();
    gateway.awaitOrderStatus("perftest", 201);
  }

  @Test
  void withoutTheDatabaseAKillChangesUnleashButCannotConfirm() {
    Run kill =
        jar(
            Map.of(
                "UNLEASH_ADMIN_URL",
                unleash.baseUrl(),
                "UNLEASH_ADMIN_TOKEN",
                UnleashServer.ADMIN_TOKEN),
            "kill",
            "mobile");
    assertThat(kill.exit()).as(kill.out()).isEqualTo(3);
    assertThat(kill.out()).contains("cannot confirm").contains("ORDERGATE_DATABASE_URL");
    gateway.awaitOrderStatus("mobile", 503);

    Run revive = jar(admin(), "revive", "mobile", "--by", "bob", "--reason", "drill over");
    assertThat(revive.exit()).as(revive.out()).isZero();
    assertThat(revive.out()).contains("mobile revived: 1/1 replicas accept its writes");
    assertThat(gateway.order("mobile").statusCode()).isEqualTo(201);
  }

  @Test
  void holdAndThrottleSetTheVariantAndReviveClearsIt() throws Exception {
    Run hold = jar(admin(), "hold", "partner");
    assertThat(hold.exit()).as(hold.out()).isZero();
    assertThat(hold.out()).contains("variant 'quarantine'");
    gateway.awaitOrderStatus("partner", 202);

    Run throttle = jar(admin(), "throttle", "partner", "--rate", "0");
    assertThat(throttle.exit()).as(throttle.out()).isZero();
    gateway.awaitOrderStatus("partner", 429);
    Run status = jar(admin(), "status");
    assertThat(status.out())
        .containsPattern(
            "partner\\s+order-source\\.partner\\s+on, variant throttle \\{\"ratePerSecond\": 0\\}");

    Run revive = jar(admin(), "revive", "partner");
    assertThat(revive.exit()).as(revive.out()).isZero();
    gateway.awaitOrderStatus("partner", 201);
  }

  @Test
  void killFailsClearlyForUnknownSourceBadTokenAndUnreachableUnleash() throws Exception {
    Run unknown = jar(admin(), "kill", "nosuchsource");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.out()).contains("order-source.nosuchsource").contains("404");

    Run badToken =
        jar(
            Map.of("UNLEASH_ADMIN_URL", unleash.baseUrl(), "UNLEASH_ADMIN_TOKEN", "wrong"),
            "kill",
            "perftest");
    assertThat(badToken.exit()).isEqualTo(2);
    assertThat(badToken.out()).contains("refused the admin token");

    Run unreachable =
        jar(
            Map.of(
                "UNLEASH_ADMIN_URL",
                "http://127.0.0.1:" + io.ordergate.support.Ports.free(),
                "UNLEASH_ADMIN_TOKEN",
                UnleashServer.ADMIN_TOKEN),
            "kill",
            "perftest");
    assertThat(unreachable.exit()).isEqualTo(2);
    assertThat(unreachable.out()).contains("cannot reach Unleash");

    Run noToken = jar(Map.of("UNLEASH_ADMIN_URL", unleash.baseUrl()), "kill", "perftest");
    assertThat(noToken.exit()).isEqualTo(2);
    assertThat(noToken.out()).contains("UNLEASH_ADMIN_TOKEN");
  }

  @Test
  void sourcesAddPrintsAKeyOnceThatARunningGatewayAccepts() throws Exception {
    Map<String, String> db =
        Map.of("ORDERGATE_DATABASE_URL", gateway.env().get("ORDERGATE_DATABASE_URL"));
    Run add =
        jar(
            db,
            "sources",
            "add",
            "partner-b",
            "--environment",
            "production",
            "--description",
            "second partner");
    assertThat(add.exit()).as(add.out()).isZero();
    Matcher key =
        Pattern.compile("^\\s+(og_partner-b_\\S+)$", Pattern.MULTILINE).matcher(add.out());
    assertThat(key.find()).as(add.out()).isTrue();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int status = 0;
    while (System.nanoTime() < deadline && status != 201) {
      status =
          GatewayHarness.send(
                  HttpRequest.newBuilder(URI.create(gateway.trafficUrl() + "/orders"))
                      .header("Authorization", "Bearer " + key.group(1))
                      .header("X-Upstream-Environment", "production")
                      .POST(HttpRequest.BodyPublishers.ofString("{}")))
              .statusCode();
      GatewayHarness.sleep(50);
    }
    assertThat(status).isEqualTo(201);

    Run list = jar(db, "sources", "list");
    assertThat(list.out())
        .contains("partner-b")
        .contains("second partner")
        .doesNotContain(key.group(1));
    Run share = jar(db, "sources", "set", "partner-b", "--share", "3");
    assertThat(share.exit()).as(share.out()).isZero();
    assertThat(jar(db, "sources", "list").out())
        .containsPattern("partner-b\\s.*\\s3\\s+second partner");
    Run badShare = jar(db, "sources", "set", "partner-b", "--share", "0");
    assertThat(badShare.exit()).isEqualTo(2);
    assertThat(badShare.out()).contains("--share").contains("between 1 and 1000");
    assertThat(jar(db, "sources", "set", "nosuchsource", "--share", "2").exit()).isEqualTo(2);
    Run duplicate = jar(db, "sources", "add", "partner-b", "--environment", "production");
    assertThat(duplicate.exit()).isEqualTo(2);
    assertThat(duplicate.out()).contains("already exists");
  }

  @Test
  void serveWithoutConfigurationNamesTheMissingVariable() throws Exception {
    Run serve = jar(Map.of(), "serve");
    assertThat(serve.exit()).isEqualTo(2);
    assertThat(serve.out()).contains("ORDERGATE_ENVIRONMENT");
    Run help = jar(Map.of(), "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("kill").contains("revive").contains("sources").contains("demo");
  }
}
