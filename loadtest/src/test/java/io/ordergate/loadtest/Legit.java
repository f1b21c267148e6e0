package io.ordergate.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CoreDsl;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The legitimate sources' orders and what they saw, split into phases by the time each order was
 * sent (before the flood, during it, after it). Every order must be answered 201; anything else (a
 * refusal, a timeout, a lost connection) is a legitimate failure of its phase.
 */
final class Legit {
  /** The demo's legitimate sources and their keys. */
  static final String[][] SOURCES = {
    {"web", "demo-web-key"}, {"mobile", "demo-mobile-key"}, {"partner", "demo-partner-key"}
  };

  private final String[] phases;
  private final Samples[] samples;
  private final AtomicLongArray failures;
  private final AtomicLong[] marks;
  private final Tally failureKinds = new Tally();
  private Timeline timeline;

  /**
   * @param phases names in time order; phase i+1 starts at mark i ({@link #mark})
   */
  Legit(String... phases) {
    this.phases = phases.clone();
    this.samples = new Samples[phases.length];
    for (int i = 0; i < phases.length; i++) {
      samples[i] = new Samples();
    }
    this.failures = new AtomicLongArray(phases.length);
    this.marks = new AtomicLong[phases.length - 1];
    for (int i = 0; i < marks.length; i++) {
      marks[i] = new AtomicLong(Long.MAX_VALUE);
    }
  }

  /** Phase {@code i + 1} starts at {@code epochMillis}; only the first call per mark counts. */
  void mark(int i, long epochMillis) {
    marks[i].compareAndSet(Long.MAX_VALUE, epochMillis);
  }

  /** Also files every order in {@code timeline} (by send time, failures included). */
  void timeline(Timeline timeline) {
    this.timeline = timeline;
  }

  long markOf(int i) {
    return marks[i].get();
  }

  /** One source's orders, checked 201 and recorded. */
  ScenarioBuilder scenario(String name, String key) {
    return CoreDsl.scenario(name).exec(order(name, key)).exec(this::record);
  }

  /**
   * The order request of a legitimate source, saving for {@link #record} when it was sent, its
   * response time, status and problem type, and the order's {@code location}.
   */
  static ChainBuilder order(String name, String key) {
    return CoreDsl.exec(session -> session.set("sentAt", System.currentTimeMillis()))
        .exec(
            http("POST /orders (" + name + ")")
                .post("/orders")
                .header("Authorization", "Bearer " + key)
                .body(StringBody(Params.ORDER))
                .check(
                    status().saveAs("status"),
                    CoreDsl.regex(SLUG).optional().saveAs("slug"),
                    CoreDsl.responseTimeInMillis().saveAs("rt"),
                    header("Location").optional().saveAs("location"),
                    status().is(201)));
  }

  /** The slug of a problem document's type ({@code …/problems/backend-saturated}). */
  static final String SLUG = "/problems/([a-z0-9-]+)";

  /** Files the order just sent under its phase (by when it was sent), as a sample or a failure. */
  Session record(Session session) {
    long sentAt = session.getLong("sentAt");
    int phase = phaseAt(sentAt);
    boolean answered = !session.isFailed() && session.contains("rt");
    if (timeline != null) {
      timeline.legit.add(sentAt, answered ? session.getLong("rt") : -1);
    }
    if (answered) {
      samples[phase].add(session.getLong("rt"));
    } else {
      failures.incrementAndGet(phase);
      failureKinds.add(Tally.kind(session));
    }
    return session.remove("rt").remove("status").remove("slug");
  }

  private int phaseAt(long sentAt) {
    int phase = 0;
    while (phase < marks.length && sentAt >= marks[phase].get()) {
      phase++;
    }
    return phase;
  }

  /** The p99 of a phase in ms, or -1 without samples. */
  long p99(String phase) {
    return samples[List.of(phases).indexOf(phase)].percentile(99);
  }

  long failures() {
    long n = 0;
    for (int i = 0; i < phases.length; i++) {
      n += failures.get(i);
    }
    return n;
  }

  /**
   * Adds {@code legitFailures} and per phase {@code legit_<phase>_{count,p50Ms,p99Ms,failures}}.
   */
  void report(Summary summary) {
    summary.put("legitFailures", failures()).put("legitFailureKinds", failureKinds.describe());
    for (int i = 0; i < phases.length; i++) {
      summary
          .latency("legit_" + phases[i], samples[i])
          .put("legit_" + phases[i] + "_failures", failures.get(i));
    }
  }
}
