package io.ordergate.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a proxy's CPU goes, per request, from a profile taken under bench load: an async-profiler
 * collapsed-stack file ({@code .collapsed}, every thread, Java, JVM and kernel frames) or a JFR
 * recording ({@code .jfr}, Java code of Java threads only). Each sample is put in one part, by the
 * leaf-most frame that names a part; JDK frames, JVM frames and interrupts count for their caller.
 *
 * <pre>
 * java loadtest/src/main/java/io/ordergate/loadtest/ProfileSummary.java [--us-per-request N] FILE
 * </pre>
 *
 * With {@code --us-per-request} (the process's CPU per request, from the bench) each part's share
 * is also shown in µs per request.
 */
public final class ProfileSummary {
  private static final String SYSCALLS = "syscalls (socket reads/writes, io_uring/epoll waits)";
  private static final String OTHER = "JVM and other (safepoints, unattributed)";

  /** Leaf-to-root: the first frame whose name starts with one of these decides the part. */
  private static final String[][] PARTS = {
    {"io.netty.channel.epoll.Native", SYSCALLS},
    {"io.netty.channel.uring.Native", SYSCALLS},
    {"io.netty.channel.unix.FileDescriptor", SYSCALLS},
    {"io.netty.channel.unix.Socket", SYSCALLS},
    {"sun.nio.ch.SocketDispatcher", SYSCALLS},
    {"sun.nio.ch.EPoll", SYSCALLS},
    {"io.ordergate.audit.", "audit (buffer, batch to PostgreSQL)"},
    {"io.vertx.pgclient.", "audit (buffer, batch to PostgreSQL)"},
    {"io.vertx.sqlclient.", "audit (buffer, batch to PostgreSQL)"},
    {"io.ordergate.metrics.", "metrics (Micrometer)"},
    {"io.micrometer.", "metrics (Micrometer)"},
    {"io.github.resilience4j.", "gateway: forward (breaker, bulkhead)"},
    {"io.ordergate.", "gateway: "},
    {"io.vertx.core.http.impl.headers.", "header handling"},
    {"io.netty.handler.codec.http.DefaultHttpHeaders", "header handling"},
    {"io.netty.handler.codec.http.HttpHeaders", "header handling"},
    {"io.netty.handler.codec.DefaultHeaders", "header handling"},
    {"io.netty.util.AsciiString", "header handling"},
    {"io.vertx.core.http.impl.VertxHttpRequestDecoder", "HTTP parsing and encoding"},
    {"io.vertx.core.http.impl.VertxHttpResponseEncoder", "HTTP parsing and encoding"},
    {"io.netty.handler.codec.", "HTTP parsing and encoding"},
    {"io.vertx.core.http.impl.Http1xClient", "backend client (Vert.x HTTP client)"},
    {"io.vertx.core.http.impl.HttpClient", "backend client (Vert.x HTTP client)"},
    {"io.vertx.core.http.impl.ClientHttp", "backend client (Vert.x HTTP client)"},
    {"io.vertx.core.http.impl.SharedHttpClient", "backend client (Vert.x HTTP client)"},
    {"io.vertx.core.http.impl.HttpClientImpl", "backend client (Vert.x HTTP client)"},
    {"io.vertx.core.net.impl.pool.", "backend client (Vert.x HTTP client)"},
    {"io.vertx.core.internal.pool.", "backend client (Vert.x HTTP client)"},
    {"io.vertx.core.http.impl.", "HTTP server (Vert.x request/response)"},
    {"io.vertx.core.json.", "JSON"},
    {"com.fasterxml.jackson.", "JSON"},
    {"io.vertx.ext.web.", "Vert.x Web (ops port)"},
    {"io.vertx.", "event loop, contexts, futures (Vert.x core)"},
    {"io.netty.", "event loop, channels, buffers (Netty)"},
  };

  private final Map<String, Long> parts = new HashMap<>();
  private final Map<String, Long> self = new HashMap<>();
  private final Map<String, Long> gatewayInclusive = new HashMap<>();
  private long total;

  public static void main(String[] args) throws IOException {
    double usPerRequest = Double.NaN;
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--us-per-request") && i + 1 < args.length) {
        usPerRequest = Double.parseDouble(args[++i]);
      } else {
        file = Path.of(args[i]);
      }
    }
    if (file == null) {
      System.err.println("usage: ProfileSummary [--us-per-request N] FILE.collapsed|FILE.jfr");
      System.exit(2);
    }
    ProfileSummary summary = new ProfileSummary();
    boolean jfr = file.toString().endsWith(".jfr");
    if (jfr) {
      summary.readJfr(file);
    } else {
      summary.readCollapsed(file);
    }
    summary.print(file, jfr, usPerRequest);
  }

  private void readCollapsed(Path file) throws IOException {
    for (String line : Files.readAllLines(file)) {
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      long count = Long.parseLong(line.substring(space + 1).trim());
      List<String> rootToLeaf = new ArrayList<>();
      for (String frame : line.substring(0, space).split(";")) {
        rootToLeaf.add(frame.replace('/', '.'));
      }
      String thread =
          rootToLeaf.isEmpty() || !rootToLeaf.get(0).startsWith("[") ? "" : rootToLeaf.remove(0);
      add(thread, rootToLeaf, count);
    }
  }

  private void readJfr(Path file) throws IOException {
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent event = recording.readEvent();
        if (!event.getEventType().getName().equals("jdk.ExecutionSample")
            || event.getStackTrace() == null) {
          continue;
        }
        List<String> rootToLeaf = new ArrayList<>();
        List<RecordedFrame> frames = event.getStackTrace().getFrames(); // leaf first
        for (int i = frames.size() - 1; i >= 0; i--) {
          RecordedFrame f = frames.get(i);
          rootToLeaf.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
        }
        String thread =
            event.getThread("sampledThread") == null
                ? ""
                : "[" + event.getThread("sampledThread").getJavaName() + "]";
        add(thread, rootToLeaf, 1);
      }
    }
  }

  private void add(String thread, List<String> rootToLeaf, long count) {
    total += count;
    String part = part(thread, rootToLeaf);
    parts.merge(part, count, Long::sum);
    if (!rootToLeaf.isEmpty()) {
      self.merge(rootToLeaf.get(rootToLeaf.size() - 1), count, Long::sum);
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String frame : rootToLeaf) {
      // A generated lambda class's frame ($$Lambda…handle) is always followed by the lambda$ method
      // that holds its body: listing both would show each lambda twice.
      if (frame.startsWith("io.ordergate.") && !frame.contains("$$Lambda") && seen.add(frame)) {
        gatewayInclusive.merge(frame, count, Long::sum);
      }
    }
  }

  static String part(String thread, List<String> rootToLeaf) {
    String name = thread.toLowerCase(Locale.ROOT);
    if (name.contains("gc") || name.contains("g1 ") || name.contains("vm thread")) {
      return "JVM: garbage collection";
    }
    if (name.contains("compiler")) {
      return "JVM: JIT compiler";
    }
    if (!name.isEmpty() && !name.contains("eventloop")) {
      return "other threads (flag polling, timers, logging)";
    }
    boolean inSyscall = false;
    for (String frame : rootToLeaf) {
      if (frame.endsWith("_[k]")
          && (frame.startsWith("entry_SYSCALL") || frame.startsWith("do_syscall"))) {
        inSyscall = true;
      }
    }
    if (inSyscall) {
      return SYSCALLS;
    }
    for (int i = rootToLeaf.size() - 1; i >= 0; i--) {
      String frame = rootToLeaf.get(i);
      for (String[] rule : PARTS) {
        if (frame.startsWith(rule[0])) {
          return rule[1].endsWith(": ") ? rule[1] + subpackage(frame) : rule[1];
        }
      }
    }
    return OTHER;
  }

  private static String subpackage(String frame) {
    String rest = frame.substring("io.ordergate.".length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  private void print(Path file, boolean jfr, double usPerRequest) {
    boolean scaled = !Double.isNaN(usPerRequest) && !jfr;
    System.out.printf(
        "Profile %s: %d samples (%s)%n",
        file.getFileName(),
        total,
        jfr
            ? "JFR: Java code of Java threads only; syscalls, GC and JIT do not appear"
            : "async-profiler cpu: every thread, Java, JVM and kernel frames");
    if (scaled) {
      System.out.printf(
          "Scaled to %.1f µs of process CPU per request (the bench's median).%n", usPerRequest);
    }
    System.out.println();
    System.out.println("Where the CPU goes (leaf-most frame that names a part):");
    parts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(
            e ->
                System.out.printf(
                    "  %5.1f %%%s  %s%n",
                    100.0 * e.getValue() / Math.max(1, total),
                    scaled
                        ? String.format("  %6.2f µs/req", usPerRequest * e.getValue() / total)
                        : "",
                    e.getKey()));
    System.out.println();
    System.out.println("Top 25 self frames:");
    top(self, 25);
    System.out.println();
    System.out.println("Top 20 Order Gate methods (inclusive: they or what they call):");
    top(gatewayInclusive, 20);
  }

  private void top(Map<String, Long> counts, int n) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .forEach(
            e ->
                System.out.printf(
                    "  %5.1f %%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
  }
}
