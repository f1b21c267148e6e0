package io.ordergate.demo;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the pinned open-source Unleash server from {@code flags/} as a child process, seeded with
 * the flag definitions and the fixed demo tokens. Used by the demo and by the integration tests.
 */
public final class UnleashServer implements AutoCloseable {
  public static final String ADMIN_TOKEN = "*:*.order-gate-demo-admin-token";
  public static final String CLIENT_TOKEN = "default:production.order-gate-demo-client-token";

  private final Process process;
  private final int port;

  private UnleashServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** True when {@code node} and {@code npm} can be run. */
  public static boolean nodeAvailable() {
    return runs(List.of("node", "--version")) && runs(List.of(npm(), "--version"));
  }

  /**
   * Installs the pinned server with {@code npm ci} unless it is already installed. npm's output
   * goes to {@code npm-ci.log} beside the package, not to this process's stdout, which a test
   * runner may own.
   */
  public static void install(Path flagsDir, PrintStream progress) {
    if (Files.isDirectory(flagsDir.resolve("node_modules/unleash-server"))) {
      return;
    }
    Path log = flagsDir.resolve("npm-ci.log");
    progress.println(
        "Installing the pinned Unleash server (npm ci in "
            + flagsDir
            + ", first run only, about 30 s; log: "
            + log
            + ")...");
    try {
      Process npm =
          new ProcessBuilder(npm(), "ci", "--no-audit", "--no-fund", "--loglevel=error")
              .directory(flagsDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!npm.waitFor(15, TimeUnit.MINUTES) || npm.exitValue() != 0) {
        npm.destroyForcibly();
        throw new IllegalStateException("npm ci in " + flagsDir + " failed; see " + log);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run npm: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing Unleash", e);
    }
  }

  /**
   * Starts the server on 127.0.0.1 and waits until {@code /health} answers.
   *
   * @param databaseUrl a PostgreSQL database of its own
   * @param log where the server's output goes
   */
  public static UnleashServer start(
      Path flagsDir, int port, String databaseUrl, Path log, Duration timeout) {
    install(flagsDir, System.out);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      ProcessBuilder pb =
          new ProcessBuilder("node", "start-unleash.mjs")
              .directory(flagsDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Map<String, String> env = pb.environment();
      env.put("DATABASE_URL", databaseUrl.replaceFirst("^postgresql://", "postgres://"));
      env.put("UNLEASH_PORT", Integer.toString(port));
      env.put("INIT_ADMIN_API_TOKENS", ADMIN_TOKEN);
      env.put("INIT_BACKEND_API_TOKENS", CLIENT_TOKEN);
      Process process = pb.start();
      UnleashServer server = new UnleashServer(process, port);
      server.awaitHealthy(timeout, log);
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the Unleash server: " + e.getMessage(), e);
    }
  }

  private void awaitHealthy(Duration timeout, Path log) {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Unleash server exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
                    .timeout(Duration.ofSeconds(1))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      sleep(200);
    }
    close();
    throw new IllegalStateException(
        "the Unleash server did not become healthy within "
            + timeout.toSeconds()
            + " s; see "
            + log);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The client API root the gateway's SDK polls. */
  public String clientApiUrl() {
    return baseUrl() + "/api/";
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Stops the server with SIGTERM, and kills it if it does not stop in time. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static String npm() {
    return File.separatorChar == '\\' ? "npm.cmd" : "npm";
  }

  private static boolean runs(List<String> command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
