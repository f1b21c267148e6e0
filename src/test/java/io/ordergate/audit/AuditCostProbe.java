package io.ordergate.audit;

import io.ordergate.app.Await;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.db.Database;
import io.ordergate.db.Migrations;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What PostgreSQL spends per shipped audit row, process by process: an embedded PostgreSQL started
 * as the demo starts it, the gateway's migrations, then forwarded-order rows shipped through the
 * real {@link CopySink} at a steady rate in the batches the shipper makes (one flush interval of
 * records each), measuring each postgres process's CPU (/proc/PID/schedstat) before and after. Run
 * by {@code loadtest/audit-cost.sh}; settings are system properties (see there).
 */
public final class AuditCostProbe {
  private AuditCostProbe() {}

  private static final String STATS =
      "SELECT current_setting('lc_collate'), current_setting('shared_buffers'),"
          + " current_setting('max_wal_size'), current_setting('checkpoint_timeout'),"
          + " current_setting('full_page_writes'), current_setting('autovacuum');"
          + "SELECT count(*), pg_size_pretty(pg_total_relation_size('audit_p'"
          + " || to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD'))) FROM audit;"
          + "SELECT checkpoints_timed, checkpoints_req FROM pg_stat_bgwriter;"
          + "SELECT relname, n_tup_ins, autovacuum_count, autoanalyze_count FROM pg_stat_user_tables"
          + " WHERE n_tup_ins > 0";

  public static void main(String[] args) throws Exception {
    int rows = Integer.getInteger("rows", 200_000);
    int rate = Integer.getInteger("rate", 16_000);
    int flushMs = Integer.getInteger("flushMs", 100);
    int batchMax = Integer.getInteger("batch", 10_000);
    int settle = Integer.getInteger("settle", 5);
    int warmRows = Integer.getInteger("warmRows", 50_000);
    int warmRate = Integer.getInteger("warmRate", 100_000);
    String setup = System.getProperty("setup", "");
    String perf = System.getProperty("perf", "");
    Path dir = Files.createTempDirectory("audit-cost");
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setServerConfig("max_connections", "200")
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setDataDirectory(dir)
            .setCleanDataDirectory(true);
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("pg.")) {
        builder.setServerConfig(name.substring(3), System.getProperty(name));
      }
    }
    try (EmbeddedPostgres pg = builder.start()) {
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE ordergate");
      }
      String url = "postgresql://postgres:postgres@127.0.0.1:" + pg.getPort() + "/ordergate";
      Vertx vertx = Vertx.vertx();
      Pool pool = Database.pool(vertx, new DatabaseSettings(url, 2));
      Await.result(Migrations.migrate(pool), 120);
      Await.result(pool.close(), 30);
      Await.result(vertx.close(), 30);
      try (Connection c = pg.getDatabase("postgres", "ordergate").getConnection();
          Statement s = c.createStatement()) {
        for (String sql : setup.split(";")) {
          if (!sql.isBlank()) {
            System.out.println("setup: " + sql.trim());
            s.execute(sql);
          }
        }
      }
      int postmaster =
          Integer.parseInt(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
      CopySink sink =
          new CopySink(
              PgConnectOptions.fromUri(url),
              "probe-0",
              !"text".equals(System.getProperty("format")));
      int batch = Math.max(1, Math.min(batchMax, rate * flushMs / 1000));
      System.out.printf(
          "postmaster %d, %d rows at %d/s in batches of %d (+%d warm-up rows)%n",
          postmaster, rows, rate, batch, warmRows);
      ship(sink, warmRows, warmRate, batchMax, flushMs);
      if (Boolean.parseBoolean(System.getProperty("preVacuum", "true"))) {
        // Autovacuum would vacuum the warm-up rows at a moment of its choosing: now, unmeasured.
        sql(pg, "VACUUM ANALYZE audit");
      }
      Thread.sleep(1000);
      long wal0 = wal(pg);
      // Processes that exit meanwhile (autovacuum workers): their last CPU seen, every 100 ms.
      Map<Integer, Proc> seen = new java.util.concurrent.ConcurrentHashMap<>();
      Map<Integer, Proc> seenInRound = new java.util.concurrent.ConcurrentHashMap<>();
      Thread sampler =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  try {
                    Map<Integer, Proc> now = procs(postmaster);
                    seen.putAll(now);
                    seenInRound.putAll(now);
                    Thread.sleep(100);
                  } catch (IOException e) {
                    // try again
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      sampler.setDaemon(true);
      sampler.start();
      Process perfRun = null;
      if (!perf.isEmpty()) {
        perfRun =
            new ProcessBuilder(
                    "perf",
                    "record",
                    "-F",
                    "999",
                    "-g",
                    "-o",
                    perf,
                    "-p",
                    String.join(
                        ",", procs(postmaster).keySet().stream().map(String::valueOf).toList()))
                .inheritIO()
                .start();
        Thread.sleep(1500);
      }
      // -Drounds=N -Didle=S: N measured rounds of `rows` each, S seconds apart, as the bench's
      // forward rounds are (the other targets run in between); a fresh partition with
      // -DwarmRows=0 -DpreVacuum=false is then what the bench's demo database goes through.
      int rounds = Integer.getInteger("rounds", 1);
      int idle = Integer.getInteger("idle", 0);
      Map<Integer, Proc> first = procs(postmaster);
      Map<Integer, Proc> settled = first;
      List<Double> benchUs = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        Map<Integer, Proc> before = procs(postmaster);
        seenInRound.clear();
        long ticks0 = benchTicks(postmaster);
        long t0 = System.nanoTime();
        ship(sink, rows, rate, batch, flushMs);
        double secs = (System.nanoTime() - t0) / 1e9;
        long ticks1 = benchTicks(postmaster);
        Map<Integer, Proc> shipped = withExited(procs(postmaster), seenInRound);
        System.out.printf("round %d: shipped in %.1f s (%.0f rows/s)%n", round, secs, rows / secs);
        report("round " + round + ", during the shipping", before, shipped, rows);
        double bench = (ticks1 - ticks0) * 1e6 / TICKS_PER_SECOND / rows;
        benchUs.add(bench);
        System.out.printf(
            "  %-48s %7.2f us%n", "BENCH METHOD (live processes + exited children)", bench);
        if (round < rounds) {
          Thread.sleep(idle * 1000L);
        }
      }
      Thread.sleep(settle * 1000L);
      settled = withExited(procs(postmaster), seen);
      sampler.interrupt();
      if (perfRun != null) {
        new ProcessBuilder("kill", "-INT", Long.toString(perfRun.pid())).start().waitFor();
        perfRun.waitFor(30, TimeUnit.SECONDS);
      }
      sink.close();
      if (rounds == 1) {
        report("shipping + " + settle + " s after", first, settled, rows);
      } else {
        // Everything from the first round to the end, idle gaps included (autovacuum mostly runs
        // there), per measured row.
        report(
            "all rounds, the gaps between them and " + settle + " s after",
            first,
            settled,
            rows * rounds);
        System.out.println("bench method per round: " + benchUs);
      }
      rows = rows * rounds;
      System.out.printf("WAL per row: %.0f bytes%n", (wal(pg) - wal0) / (double) rows);
      try (Connection c = pg.getDatabase("postgres", "ordergate").getConnection();
          Statement s = c.createStatement()) {
        var rs = s.executeQuery("SELECT pg_backend_pid()");
        rs.next();
        Path stat = Path.of("/proc/" + rs.getInt(1) + "/schedstat");
        long v0 = Long.parseLong(Files.readString(stat).split(" ")[0]);
        s.execute("VACUUM audit");
        long v1 = Long.parseLong(Files.readString(stat).split(" ")[0]);
        System.out.printf(
            "VACUUM of the shipped rows (autovacuum's later work): %.2f us per row%n",
            (v1 - v0) / 1e3 / rows);
      }
      try (Connection c = pg.getDatabase("postgres", "ordergate").getConnection();
          Statement s = c.createStatement()) {
        for (String sql : (STATS + ";" + System.getProperty("show", "")).split(";")) {
          if (!sql.isBlank()) {
            System.out.println("show: " + sql.trim());
            try (var r = s.executeQuery(sql)) {
              while (r.next()) {
                StringBuilder line = new StringBuilder("  ");
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                  line.append(i > 1 ? "\t" : "").append(r.getString(i));
                }
                System.out.println(line);
              }
            }
          }
        }
      }
    }
  }

  private static void sql(EmbeddedPostgres pg, String sql) throws Exception {
    try (Connection c = pg.getDatabase("postgres", "ordergate").getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long wal(EmbeddedPostgres pg) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void ship(CopySink sink, int rows, int rate, int batch, int flushMs)
      throws Exception {
    long start = System.nanoTime();
    int sent = 0;
    long segment = 0;
    while (sent < rows) {
      int n = Math.min(batch, rows - sent);
      List<AuditRecord> records = new ArrayList<>(n);
      long now = System.currentTimeMillis() * 1000;
      for (int i = 0; i < n; i++) {
        records.add(
            new AuditRecord(
                requestId(),
                "web",
                "POST",
                "/orders",
                "forwarded",
                201,
                "ord-" + (sent + i),
                7,
                now - 3000 + i,
                now + i,
                null,
                0));
      }
      sink.ship("probe", records, List.of(), new SpoolPosition(segment++, 0));
      sent += n;
      long due = start + TimeUnit.SECONDS.toNanos(1) * sent / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }
  }

  private static String requestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format("%016x%016x", r.nextLong(), r.nextLong());
  }

  /** USER_HZ: /proc/PID/stat counts utime and stime in these. */
  private static final long TICKS_PER_SECOND = 100;

  /**
   * What {@code loadtest/bench} reads: utime+stime of the postmaster and its children alive now,
   * plus the postmaster's cutime+cstime (its children that exited: autovacuum workers). Before
   * 2026-12-02 11:00 the bench read the live processes only, so a worker that exited during a run
   * took its CPU out of the figure and one alive at the end put all of its CPU in.
   */
  private static long benchTicks(int postmaster) throws IOException {
    long total = 0;
    for (Path p : List.of(Path.of("/proc"))) {
      try (var dirs = Files.list(p)) {
        for (Path d : (Iterable<Path>) dirs::iterator) {
          String f = d.getFileName().toString();
          if (!f.chars().allMatch(Character::isDigit)) {
            continue;
          }
          try {
            String stat = Files.readString(d.resolve("stat"));
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (Integer.parseInt(f) == postmaster) {
              total += Long.parseLong(after[13]) + Long.parseLong(after[14]);
            }
            if (Integer.parseInt(f) == postmaster || Integer.parseInt(after[1]) == postmaster) {
              total += Long.parseLong(after[11]) + Long.parseLong(after[12]);
            }
          } catch (IOException | RuntimeException e) {
            // gone meanwhile
          }
        }
      }
    }
    return total;
  }

  record Proc(String name, long cpuNanos, long childNanos) {}

  /** The postmaster and its children: name from the command line, CPU from schedstat. */
  private static Map<Integer, Proc> procs(int postmaster) throws IOException {
    Map<Integer, Proc> out = new TreeMap<>();
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) dirs::iterator) {
        String f = p.getFileName().toString();
        if (!f.chars().allMatch(Character::isDigit)) {
          continue;
        }
        int pid = Integer.parseInt(f);
        try {
          String stat = Files.readString(p.resolve("stat"));
          String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          int ppid = Integer.parseInt(after[1]);
          if (pid != postmaster && ppid != postmaster) {
            continue;
          }
          long cpu = Long.parseLong(Files.readString(p.resolve("schedstat")).split(" ")[0]);
          // cutime + cstime in clock ticks (100 Hz): children that already exited
          long child = (Long.parseLong(after[13]) + Long.parseLong(after[14])) * 10_000_000L;
          String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ').trim();
          String name = pid == postmaster ? "postmaster" : cmd.replaceFirst("^postgres: ", "");
          name = name.replaceAll("\\(\\d+\\)", "").replaceAll(" (idle|COPY|INSERT|SELECT).*", "");
          out.put(pid, new Proc(name, cpu, child));
        } catch (IOException | RuntimeException e) {
          // gone meanwhile
        }
      }
    }
    return out;
  }

  private static Map<Integer, Proc> withExited(Map<Integer, Proc> now, Map<Integer, Proc> seen) {
    Map<Integer, Proc> out = new TreeMap<>(now);
    seen.forEach(
        (pid, p) ->
            out.putIfAbsent(
                pid,
                new Proc(
                    (p.name().isEmpty() ? "autovacuum worker?" : p.name()) + " (exited, last seen)",
                    p.cpuNanos(),
                    0)));
    return out;
  }

  private static void report(String what, Map<Integer, Proc> a, Map<Integer, Proc> b, int rows) {
    System.out.println("PostgreSQL CPU per shipped row, " + what + ":");
    Map<String, Double> byName = new TreeMap<>();
    double alive = 0;
    double steady = 0;
    for (var e : b.entrySet()) {
      Proc was = a.get(e.getKey());
      double us = (e.getValue().cpuNanos() - (was == null ? 0 : was.cpuNanos())) / 1e3 / rows;
      if (was != null && !e.getValue().name().endsWith("(exited, last seen)")) {
        steady += us;
      }
      byName.merge(e.getValue().name() + (was == null ? " (new)" : ""), us, Double::sum);
      alive += us;
    }
    for (var e : byName.entrySet()) {
      if (e.getValue() >= 0.005) {
        System.out.printf("  %-48s %7.2f us%n", e.getKey(), e.getValue());
      }
    }
    int pm =
        a.keySet().stream()
            .filter(k -> a.get(k).name().equals("postmaster"))
            .findFirst()
            .orElse(-1);
    double exited =
        pm < 0 || !b.containsKey(pm)
            ? 0
            : (b.get(pm).childNanos() - a.get(pm).childNanos()) / 1e3 / rows;
    System.out.printf(
        "  %-48s %7.2f us%n", "(cross-check: exited children, postmaster cutime)", exited);
    System.out.printf("  %-48s %7.2f us%n", "TOTAL", alive);
    System.out.printf(
        "  %-48s %7.2f us%n", "of it in processes alive throughout (as the bench)", steady);
  }
}
