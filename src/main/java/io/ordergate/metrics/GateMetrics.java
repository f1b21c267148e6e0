package io.ordergate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The gateway's meters. Counters and timers are looked up from small maps so the hot path does not
 * build tag lists per request.
 */
public final class GateMetrics {
  public static final String UNKNOWN_SOURCE = "unknown";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Map<String, Counter>> requests = new ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastSeen = new ConcurrentHashMap<>();
  private final List<Supplier<Number>> countSuppliers = new CopyOnWriteArrayList<>();
  private final Timer backendLatency;
  private final Map<String, Counter> cleanupOrders = new ConcurrentHashMap<>();
  private final Map<String, Counter> held = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> heldNow = new ConcurrentHashMap<>();
  private final java.util.Set<String> zeroed = ConcurrentHashMap.newKeySet();
  private final java.util.List<Runnable> beforeScrape =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public GateMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("ordergate.build.info", () -> 1)
        .description("Always 1; the version label says which build runs")
        .tag("version", BuildInfo.version())
        .register(registry);
    backendLatency =
        Timer.builder("ordergate.backend.duration")
            .description("Time the order system took to answer forwarded requests")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text; hooks added with {@link #beforeScrape} run first. */
  public String scrape() {
    beforeScrape.forEach(Runnable::run);
    return registry.scrape();
  }

  /**
   * Runs {@code hook} before every scrape, for series that follow state kept elsewhere (per-source
   * states, counters registered at 0 for sources added since).
   */
  public void beforeScrape(Runnable hook) {
    beforeScrape.add(hook);
  }

  /** Counts one finished request; {@code decision} is "forwarded" or a failure slug. */
  public void request(String source, String decision, long nanos, long epochMillis) {
    String src = source == null ? UNKNOWN_SOURCE : source;
    requestCounter(src, decision).increment();
    Timer timer = latency.get(src);
    if (timer == null) {
      timer =
          latency.computeIfAbsent(
              src,
              s ->
                  Timer.builder("ordergate.request.duration")
                      .description("Time from request to response, by order source")
                      .tag("source", s)
                      .publishPercentileHistogram()
                      .minimumExpectedValue(Duration.ofNanos(50_000))
                      .maximumExpectedValue(Duration.ofSeconds(30))
                      .register(registry));
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
    if (source != null) {
      AtomicLong seen = lastSeen.get(source);
      if (seen == null) {
        seen = lastSeen.computeIfAbsent(source, s -> new AtomicLong());
      }
      seen.lazySet(epochMillis);
    }
  }

  private Counter requestCounter(String src, String decision) {
    Map<String, Counter> bySource = requests.get(src);
    if (bySource == null) {
      bySource = requests.computeIfAbsent(src, s -> new ConcurrentHashMap<>());
    }
    Counter counter = bySource.get(decision);
    if (counter == null) {
      counter =
          bySource.computeIfAbsent(
              decision,
              d ->
                  Counter.builder("ordergate.requests")
                      .description("Requests by order source and decision")
                      .tag("source", src)
                      .tag("decision", d)
                      .register(registry));
    }
    return counter;
  }

  /** One order stored at intake because its source is quarantined. */
  public void quarantineHeld(String source) {
    heldCounter(source).increment();
  }

  private Counter heldCounter(String source) {
    Counter counter = held.get(source);
    if (counter == null) {
      counter =
          held.computeIfAbsent(
              source,
              s ->
                  Counter.builder("ordergate.quarantine.held")
                      .description("Orders held in quarantine at intake")
                      .tag("source", s)
                      .register(registry));
    }
    return counter;
  }

  /**
   * One held order sent on by a release; {@code outcome} is the backend status class or {@code
   * in_doubt}.
   */
  public void quarantineReleased(String source, String outcome) {
    releasedCounter(source, outcome).increment();
  }

  private Counter releasedCounter(String source, String outcome) {
    return Counter.builder("ordergate.quarantine.released")
        .description("Held orders released to the order system, by outcome")
        .tag("source", source)
        .tag("outcome", outcome)
        .register(registry);
  }

  public void quarantineDiscarded(String source, long orders) {
    discardedCounter(source).increment(orders);
  }

  private Counter discardedCounter(String source) {
    return Counter.builder("ordergate.quarantine.discarded")
        .description("Held orders discarded by ops")
        .tag("source", source)
        .register(registry);
  }

  /**
   * Registers, at 0, the per-source counters an alert or dashboard may select on, so that a series
   * exists before its first event: an alert on {@code increase(…)} then sees 0, not nothing. The
   * label values are bounded (see {@link ZeroSeries}); sources come from the registry.
   */
  public void knownSources(java.util.Collection<String> sources) {
    for (String source : sources) {
      if (!zeroed.add(source)) {
        continue;
      }
      ZeroSeries.REQUEST_DECISIONS.forEach(d -> requestCounter(source, d));
      heldCounter(source);
      ZeroSeries.RELEASE_OUTCOMES.forEach(o -> releasedCounter(source, o));
      discardedCounter(source);
      ZeroSeries.CLEANUP_RESULTS.forEach(r -> cleanupCounter(source, r));
      quarantineHeldGauge(source);
    }
  }

  /**
   * Orders held right now, per source, as last counted in PostgreSQL; sources not named drop to 0.
   */
  public void quarantineHeldNow(Map<String, Long> bySource) {
    heldNow.forEach((source, value) -> value.set(bySource.getOrDefault(source, 0L)));
    bySource.forEach((source, count) -> quarantineHeldGauge(source).set(count));
  }

  private AtomicLong quarantineHeldGauge(String source) {
    return heldNow.computeIfAbsent(
        source,
        s -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder("ordergate.quarantine.orders.held", value, AtomicLong::get)
              .description("Orders currently held in quarantine (counted every few seconds)")
              .tag("source", s)
              .register(registry);
          return value;
        });
  }

  public void backend(long nanos) {
    backendLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Requests so far for one source, by decision. */
  public Map<String, Long> counts(String source) {
    Map<String, Long> out = new TreeMap<>();
    // Counters registered at 0 by knownSources are left out: this is what the source has seen.
    requests
        .getOrDefault(source, Map.of())
        .forEach(
            (d, c) -> {
              if (c.count() > 0) {
                out.put(d, (long) c.count());
              }
            });
    return out;
  }

  /** Epoch millis of the source's last request, or 0. */
  public long lastSeen(String source) {
    AtomicLong seen = lastSeen.get(source);
    return seen == null ? 0 : seen.get();
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  public void gauge(
      String name, String description, String tag, String tagValue, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).tag(tag, tagValue).register(registry);
  }

  /** A counter whose count is kept elsewhere; it must never go down. */
  public void functionCounter(String name, String description, Supplier<Number> count) {
    // Micrometer holds a function counter's object weakly: a lambda held by nothing else would be
    // collected at the next GC and the counter read 0 from then on.
    countSuppliers.add(count);
    io.micrometer.core.instrument.FunctionCounter.builder(name, count, c -> c.get().doubleValue())
        .description(description)
        .register(registry);
  }

  public Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  /** Counts one cancel sent by a clean-up; {@code result} is cancelled, gone or failed. */
  public void cleanup(String source, String result) {
    cleanupCounter(source, result).increment();
  }

  private Counter cleanupCounter(String source, String result) {
    return cleanupOrders.computeIfAbsent(
        source + '\0' + result,
        k ->
            Counter.builder("ordergate.cleanup.orders")
                .description("Orders a clean-up sent a cancel for, by source and result")
                .tag("source", source)
                .tag("result", result)
                .register(registry));
  }
}
