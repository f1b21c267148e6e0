package io.ordergate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.app.Await;
import io.ordergate.audit.AuditRecord;
import io.ordergate.audit.AuditStore;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.db.Database;
import io.ordergate.db.Migrations;
import io.ordergate.support.GatewayHarness;
import io.ordergate.support.Jar;
import io.ordergate.support.TestDatabase;
import io.ordergate.support.TestOrderSystem;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code cleanup} through the packaged jar, as an operator runs it after an incident. */
class CleanupCommandIT {
  private static final Instant BASE = Instant.parse("2026-02-01T08:00:00Z");
  static Vertx vertx;
  static Pool pool;
  static TestOrderSystem orders;
  static String databaseUrl;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    databaseUrl = TestDatabase.fresh("cleanup_cli");
    pool = Database.pool(vertx, new DatabaseSettings(databaseUrl, 2));
    Await.result(Migrations.migrate(pool), 60);
    orders = TestOrderSystem.start(vertx);
  }

  @AfterAll
  static void stop() {
    orders.close();
    Await.result(pool.close(), 30);
    Await.result(vertx.close(), 30);
  }

  @Test
  void aDryRunShowsTheOrdersThenExecuteCancelsExactlyThoseAndASecondRunFindsNothingLeft() {
    List<String> ids = plant("cli", 12, BASE);
    plant("cli-other", 3, BASE);
    plant("cli", 2, BASE.plusSeconds(7200)); // after the window
    String since = BASE.toString();
    String until = "2026-02-01T09:00"; // local time, read as UTC

    Jar.Run dry =
        Jar.run(
            Map.of("ORDERGATE_DATABASE_URL", databaseUrl),
            "cleanup",
            "--source",
            "cli",
            "--since",
            since,
            "--until",
            until);
    assertThat(dry.exit()).as(dry.out()).isZero();
    assertThat(dry.out())
        .contains("until 2026-02-01T09:00:00Z (local time, taken as UTC)")
        .containsPattern("Orders forwarded in the window .*: 12")
        .containsPattern("to cancel:\\s+12")
        .contains("cli-1 ")
        .contains("cli-10")
        .contains("DRY RUN")
        .containsPattern(
            "\\n  java -jar \\S*order-gate\\.jar cleanup --source cli --since 2026-02-01T08:00:00Z --until 2026-02-01T09:00:00Z --execute\\n")
        .contains("(with ORDERGATE_BACKEND_URL set to the order system");
    assertThat(deletesOf("cli")).isEmpty();

    Map<String, String> env = env();
    Jar.Run executed =
        Jar.run(
            env,
            "cleanup",
            "--source",
            "cli",
            "--since",
            since,
            "--until",
            until,
            "--execute",
            "--rate",
            "500");
    assertThat(executed.exit()).as(executed.out()).isZero();
    assertThat(executed.out())
        .containsPattern("cancelled \\(2xx\\):\\s+12")
        .containsPattern("failed:\\s+0")
        .containsPattern("not sent yet:\\s+0")
        .containsPattern("skipped, cancelled by other runs:\\s+0");
    assertThat(deletesOf("cli"))
        .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "/orders/" + id).toList());
    assertThat(orders.deletes())
        .filteredOn(d -> d.path().matches("/orders/cli-\\d+"))
        .hasSize(12)
        .allMatch(d -> d.source().equals("cli") && d.requestId().startsWith("cleanup-"));

    Jar.Run again =
        Jar.run(env, "cleanup", "--source", "cli", "--since", since, "--until", until, "--execute");
    assertThat(again.exit()).as(again.out()).isZero();
    assertThat(again.out())
        .containsPattern("already cancelled by an earlier run:\\s+12")
        .containsPattern("to cancel:\\s+0")
        .contains("sending 0 cancels");
    assertThat(deletesOf("cli")).hasSize(12);
  }

  @Test
  void settingsAndArgumentsThatCannotWorkFailClearly() {
    Jar.Run badRequest =
        Jar.run(
            Map.of(
                "ORDERGATE_DATABASE_URL", databaseUrl, "ORDERGATE_CANCEL_REQUEST", "GET /orders"),
            "cleanup",
            "--source",
            "cli",
            "--since",
            "1h");
    assertThat(badRequest.exit()).isEqualTo(2);
    assertThat(badRequest.out()).contains("order-gate: ORDERGATE_CANCEL_REQUEST");
    Jar.Run noBackend =
        Jar.run(
            Map.of("ORDERGATE_DATABASE_URL", databaseUrl),
            "cleanup",
            "--source",
            "cli",
            "--since",
            "1h",
            "--execute");
    assertThat(noBackend.exit()).isEqualTo(2);
    assertThat(noBackend.out()).contains("ORDERGATE_BACKEND_URL");
    Jar.Run badTime =
        Jar.run(
            Map.of("ORDERGATE_DATABASE_URL", databaseUrl),
            "cleanup",
            "--source",
            "cli",
            "--since",
            "last week");
    assertThat(badTime.exit()).isEqualTo(2);
    assertThat(badTime.out()).contains("--since").contains("2h");
    Jar.Run help = Jar.run(Map.of(), "cleanup", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .contains("--execute")
        .contains("Examples")
        .contains("ORDERGATE_CANCEL_REQUEST");
  }

  @Test
  void anInterruptedRunSaysHowToResumeAndThatCommandFinishesTheJob() throws Exception {
    List<String> ids = plant("cli-int", 30, BASE);
    Process running =
        Jar.start(
            env(),
            "cleanup",
            "--source",
            "cli-int",
            "--since",
            "2026-02-01T07:00:00Z",
            "--until",
            "2026-02-01T10:00:00Z",
            "--execute",
            "--rate",
            "5");
    StringBuilder printed = new StringBuilder();
    CompletableFuture<Void> reading =
        CompletableFuture.runAsync(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  synchronized (printed) {
                    printed.append(line).append('\n');
                  }
                }
              } catch (java.io.IOException e) {
                // the process ended
              }
            });
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (deletesOf("cli-int").size() < 3) {
      assertThat(System.nanoTime()).as("cancels sent by the jar: " + printed).isLessThan(deadline);
      GatewayHarness.sleep(20);
    }
    // SIGTERM, as a pod stop would (Ctrl-C runs the same path); Process.destroy() would also close
    // our end of its output.
    running.toHandle().destroy();
    assertThat(running.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    reading.get(30, java.util.concurrent.TimeUnit.SECONDS);
    String out = printed.toString();
    assertThat(running.exitValue()).as(out).isEqualTo(143);
    assertThat(out).contains("Stopped (interrupted)").containsPattern("not sent yet:\\s+[1-9]");
    Matcher resume =
        Pattern.compile("Resume with:\\n\\s+java -jar \\S*order-gate\\.jar (cleanup .*)\\n")
            .matcher(out);
    assertThat(resume.find()).as(out).isTrue();
    int sentBefore = deletesOf("cli-int").size();
    assertThat(sentBefore).isLessThan(30);

    List<String> args = new ArrayList<>(Arrays.asList(resume.group(1).split(" ")));
    args.set(args.indexOf("--rate") + 1, "500");
    Jar.Run resumed = Jar.run(env(), args.toArray(String[]::new));
    assertThat(resumed.exit()).as(resumed.out()).isZero();
    assertThat(resumed.out())
        .containsPattern("cancelled \\(2xx\\):\\s+30")
        .containsPattern("not sent yet:\\s+0");
    assertThat(deletesOf("cli-int"))
        .hasSize(30)
        .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "/orders/" + id).toList());
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("ORDERGATE_DATABASE_URL", databaseUrl);
    env.put("ORDERGATE_BACKEND_URL", orders.url());
    return env;
  }

  private static List<String> plant(String source, int n, Instant from) {
    List<String> ids = new ArrayList<>();
    List<AuditRecord> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = source + "-" + (from.equals(BASE) ? "" : "late-") + (i + 1);
      ids.add(id);
      long micros = ChronoUnit.MICROS.between(Instant.EPOCH, from.plusSeconds(i + 1));
      rows.add(
          new AuditRecord(
              "req-" + id,
              source,
              "POST",
              "/orders",
              "forwarded",
              201,
              id,
              1,
              micros,
              micros + 1000));
    }
    Await.result(new AuditStore(pool, "planted").insert(rows), 30);
    return ids;
  }

  private static List<String> deletesOf(String source) {
    return orders.deletes().stream()
        .filter(d -> source.equals(d.source()))
        .map(TestOrderSystem.Request::path)
        .toList();
  }
}
