package io.ordergate.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged jar as an operator would: only the environment given, stdout and stderr merged.
 */
public final class Jar {
  private Jar() {}

  /** What a finished run printed, and its exit code. */
  public record Run(int exit, String out) {}

  /**
   * Starts {@code java -jar target/order-gate.jar args…} with {@code env} as its only
   * ORDERGATE_/UNLEASH_ settings.
   */
  public static Process start(Map<String, String> env, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                Path.of("target", "order-gate.jar").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ORDERGATE_") || k.startsWith("UNLEASH_"));
    pb.environment().putAll(env);
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Output and exit code of a process, once it has ended (at most 60 s). */
  public static Run finish(Process p) {
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the jar did not exit within 60 s; it printed:\n" + out);
      }
      return new Run(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Run run(Map<String, String> env, String... args) {
    return finish(start(env, args));
  }

  /**
   * Waits until a gateway started with {@link #start} answers 200 on {@code readyUrl}; fails if it
   * exits first.
   */
  public static void awaitReady(String readyUrl, Process gateway) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!gateway.isAlive()) {
        throw new AssertionError("the gateway process exited early");
      }
      try {
        if (GatewayHarness.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(readyUrl)))
                .statusCode()
            == 200) {
          return;
        }
      } catch (RuntimeException e) {
        // not listening yet
      }
      GatewayHarness.sleep(100);
    }
    throw new AssertionError("the gateway did not become ready");
  }

  /**
   * Collects what a started process prints, on a daemon thread, so its pipe never fills; the buffer
   * grows until the process ends.
   */
  public static StringBuffer capture(Process p, String name) {
    StringBuffer log = new StringBuffer();
    Thread drain =
        new Thread(
            () -> {
              try (InputStream in = p.getInputStream()) {
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) > 0; ) {
                  log.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
              } catch (IOException e) {
                // process ended
              }
            },
            "drain-" + name);
    drain.setDaemon(true);
    drain.start();
    return log;
  }
}
