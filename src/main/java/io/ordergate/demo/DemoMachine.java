package io.ordergate.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the demo needs of the machine before it starts anything: free fixed ports, the data left by
 * an earlier (killed) run removed, files copied, PostgreSQL's pid read for {@link Leftovers}. Apart
 * from {@link Demo} so its start-up sequence reads as the steps, not the file handling.
 */
final class DemoMachine {
  private DemoMachine() {}

  static long postmasterPid(Path pgData) {
    try {
      return Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static void requireFreePorts(List<Integer> ports) {
    for (int port : ports) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
      } catch (IOException e) {
        throw new IllegalStateException(
            "port "
                + port
                + " on 127.0.0.1 is in use; stop whatever holds it (another demo?) and retry");
      }
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot clean " + dir + " from an earlier demo: " + e.getMessage(), e);
    }
  }

  static void copy(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
