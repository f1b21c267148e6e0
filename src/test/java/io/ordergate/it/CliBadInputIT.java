package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.demo.UnleashServer;
import io.ordergate.flags.UnleashAdmin;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Jar;
import io.ordergate.support.TestStack;
import io.ordergate.support.TestUnleash;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every command with the mistakes a tired operator makes: typos in commands, options and source
 * ids, wrong settings, destructive commands without a terminal. Each must exit 2 with one line that
 * says what to do, never a stack trace, and change nothing.
 */
class CliBadInputIT {
  static UnleashServer unleash;
  static UnleashAdmin admin;
  static TestStack stack;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    unleash = TestUnleash.shared();
    admin = TestUnleash.admin(unleash);
    stack = TestStack.withUnleash(unleash);
    gateway = stack.gateway;
  }

  @AfterAll
  static void stop() {
    admin.setEnabled("order-source.perftest", true);
    admin.setEnabled("order-intake", true);
    stack.close();
  }

  static Map<String, String> unleashEnv() {
    return Map.of(
        "UNLEASH_ADMIN_URL", unleash.baseUrl(), "UNLEASH_ADMIN_TOKEN", UnleashServer.ADMIN_TOKEN);
  }

  /** Unleash and the gateway's database: a flag command then waits for the gateway's ack. */
  static Map<String, String> confirmedEnv() {
    Map<String, String> out = new HashMap<>(unleashEnv());
    out.putAll(databaseEnv());
    return out;
  }

  static Map<String, String> databaseEnv() {
    return Map.of(
        "ORDERGATE_DATABASE_URL",
        gateway.env().get("ORDERGATE_DATABASE_URL"),
        "ORDERGATE_BACKEND_URL",
        gateway.env().get("ORDERGATE_BACKEND_URL"));
  }

  static Map<String, String> with(Map<String, String> env, String key, String value) {
    Map<String, String> out = new HashMap<>(env);
    out.put(key, value);
    return out;
  }

  /** Exit 2, exactly one line starting "order-gate: ", no stack trace; returns that line. */
  static String refused(Map<String, String> env, String... args) {
    Jar.Run run = Jar.run(env, args);
    String shown = String.join(" ", args) + " printed:\n" + run.out();
    assertThat(run.exit()).as(shown).isEqualTo(2);
    List<String> lines = run.out().strip().lines().toList();
    assertThat(lines).as(shown).hasSize(1);
    assertThat(lines.get(0)).as(shown).startsWith("order-gate: ");
    assertThat(run.out()).as(shown).doesNotContain("Exception").doesNotContain("\tat ");
    return lines.get(0);
  }

  @Test
  void aMistypedSourceNamesTheKnownOnesAndTheNearestForEveryFlagCommand() {
    for (List<String> args :
        List.of(
            List.of("kill", "perftset"),
            List.of("revive", "perftset"),
            List.of("hold", "perftset"),
            List.of("throttle", "perftset", "--rate", "5"))) {
      assertThat(refused(unleashEnv(), args.toArray(String[]::new)))
          .as(args.toString())
          .startsWith(
              "order-gate: no source 'perftset'; known: web, mobile, partner, perftest"
                  + " (did you mean perftest?)")
          .endsWith("Unleash answered HTTP 404 for flag 'order-source.perftset'");
    }
    assertThat(refused(unleashEnv(), "kill", "newshop"))
        .contains("no source 'newshop'; known: ")
        .contains("order-gate sources create-flag newshop");
  }

  @Test
  void aMistypedSourceIsRefusedByEveryDatabaseCommand() {
    for (List<String> args :
        List.of(
            List.of("cleanup", "--source", "perftset", "--since", "1h"),
            List.of("quarantine", "list", "--source", "perftset"),
            List.of("quarantine", "release", "--source", "perftset", "--reason", "x", "--yes"),
            List.of("quarantine", "discard", "--source", "perftset", "--reason", "x", "--yes"),
            List.of("sources", "rotate-key", "perftset"),
            List.of("sources", "remove", "perftset", "--yes"))) {
      assertThat(refused(databaseEnv(), args.toArray(String[]::new)))
          .as(args.toString())
          .startsWith("order-gate: no source 'perftset'; known: ")
          .contains("perftest")
          .contains("(did you mean perftest?)");
    }
  }

  @Test
  void idsAreRefusedWithTheRuleUnlessTheyOnlyDifferInCaseOrCarryTheFlagPrefix() {
    assertThat(refused(databaseEnv(), "sources", "add", "New Shop", "-e", "production"))
        .contains("'New Shop' is not a source id: lower-case letters");
    assertThat(refused(unleashEnv(), "kill", "perf test!")).contains("is not a source id");

    Jar.Run upper = Jar.run(confirmedEnv(), "kill", "Perftest");
    assertThat(upper.exit()).as(upper.out()).isZero();
    assertThat(upper.out()).contains("perftest killed");
    gateway.awaitOrderStatus("perftest", 503);
    Jar.Run pasted = Jar.run(confirmedEnv(), "revive", "order-source.perftest");
    assertThat(pasted.exit()).as(pasted.out()).isZero();
    assertThat(pasted.out()).contains("perftest revived");
    gateway.awaitOrderStatus("perftest", 201);
  }

  @Test
  void typosInCommandsAndOptionsNameTheNearest() {
    assertThat(refused(unleashEnv(), "kil", "perftest"))
        .startsWith("order-gate: unknown command 'kil' (did you mean kill?)");
    assertThat(refused(databaseEnv(), "sources", "ad", "web"))
        .startsWith("order-gate: unknown command 'ad' (did you mean add?)");
    assertThat(refused(databaseEnv(), "quarantine", "list", "--limt", "5"))
        .contains("unknown option '--limt' (did you mean --limit?)");
    refused(unleashEnv(), "throttle", "perftest");
    refused(unleashEnv(), "throttle", "perftest", "--rate", "fast");
    refused(unleashEnv(), "throttle", "perftest", "--rate", "-1");
    refused(unleashEnv(), "hold");
    refused(databaseEnv(), "sources", "add");
    refused(databaseEnv(), "cleanup", "--source", "perftest", "--since", "yesterday-ish");
    refused(databaseEnv(), "quarantine", "list", "--limit", "0");
  }

  @Test
  void wrongSettingsAreToldApart() {
    assertThat(refused(Map.of(), "kill", "perftest")).contains("UNLEASH_ADMIN_URL");
    assertThat(refused(Map.of(), "sources", "list")).contains("ORDERGATE_DATABASE_URL");
    assertThat(refused(with(unleashEnv(), "UNLEASH_ENVIRONMENT", "prod"), "kill", "perftest"))
        .contains("Unleash has no environment 'prod' (UNLEASH_ENVIRONMENT); it has: ")
        .contains("production");
    assertThat(refused(with(unleashEnv(), "UNLEASH_PROJECT", "shop"), "kill", "perftest"))
        .contains("Unleash has no project 'shop' (UNLEASH_PROJECT)");
    assertThat(refused(with(unleashEnv(), "UNLEASH_ADMIN_URL", gateway.opsUrl()), "kill", "web"))
        .contains("is not Unleash's admin API");
    assertThat(refused(with(unleashEnv(), "UNLEASH_ADMIN_TOKEN", "wrong"), "status"))
        .contains("UNLEASH_ADMIN_TOKEN");
    assertThat(admin.flag("order-source.perftest").orElseThrow().enabled()).isTrue();
  }

  @Test
  void destructiveCommandsWithoutATerminalNeedYes() {
    assertThat(refused(databaseEnv(), "sources", "remove", "web"))
        .contains("remove source 'web'")
        .contains("pass --yes");
    assertThat(refused(unleashEnv(), "kill", "--all")).contains("pass --yes");
    assertThat(admin.flag("order-intake").orElseThrow().enabled()).isTrue();
    assertThat(gateway.order("web").statusCode()).as("web is still registered").isEqualTo(201);
  }

  @Test
  void aSourceFlagCreatedFromTheCommandLineCanBeKilledAndHeld() {
    String id = "cli-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    Jar.Run created = Jar.run(unleashEnv(), "sources", "create-flag", id);
    assertThat(created.exit()).as(created.out()).isZero();
    assertThat(created.out()).contains("Created flag 'order-source." + id + "'");
    UnleashAdmin.FlagInfo flag = admin.flag("order-source." + id).orElseThrow();
    assertThat(flag.type()).isEqualTo("kill-switch");
    assertThat(flag.enabled()).isTrue();

    Jar.Run again = Jar.run(unleashEnv(), "sources", "create-flag", id);
    assertThat(again.exit()).as(again.out()).isZero();
    assertThat(again.out()).contains("exists already");

    Jar.Run hold = Jar.run(confirmedEnv(), "hold", id);
    assertThat(hold.exit()).as(hold.out()).isZero();
    assertThat(admin.variants("order-source." + id)).hasSize(1);
    Jar.Run kill = Jar.run(confirmedEnv(), "kill", id);
    assertThat(kill.exit()).as(kill.out()).isZero();
    assertThat(admin.flag("order-source." + id).orElseThrow().enabled()).isFalse();
  }
}
