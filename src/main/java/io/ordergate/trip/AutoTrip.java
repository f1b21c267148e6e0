package io.ordergate.trip;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordergate.config.FloodSettings;
import io.ordergate.config.FloodSettings.TripAction;
import io.ordergate.config.FloodSettings.TripMode;
import io.ordergate.decision.Decisions;
import io.ordergate.decision.Overrule;
import io.ordergate.decision.Verdict;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's side of the auto-trip, every {@link #PERIOD_MILLIS}: publish its own rates over
 * the last second, read the fleet's, trip the sources over their limit. Never on the request path.
 */
public final class AutoTrip {
  private static final Logger LOG = LoggerFactory.getLogger(AutoTrip.class);

  /**
   * A quarter of a second: a flood is seen within a quarter of a second of its first second over
   * the limit, not up to a whole second later as with one report a second (the phase of the reports
   * was half the trip time). Each tick is two small statements on the control pool (one UPDATE of
   * this replica's row, skipped while its rates stay the same, one SELECT over the sources with
   * trip settings): up to 8 a second.
   */
  static final long PERIOD_MILLIS = 250;

  /** The rate a replica reports is over this much of its recent ticks, sliding. */
  static final long RATE_WINDOW_MILLIS = 1000;

  private final Vertx vertx;
  private final TripStore store;
  private final WriteCounts counts;
  private final Decisions decisions;
  private final FloodSettings settings;
  private final MeterRegistry meters;
  private final TripWebhook webhook;
  private final String instanceId;
  private final Clock clock;
  private final TripRule rule;
  private final RecentCounts recent = new RecentCounts(RATE_WINDOW_MILLIS);
  private Instant last;
  private long timer = -1;
  private boolean busy;
  private JsonObject reported; // the rates this replica's row holds, as far as it knows

  public AutoTrip(
      Vertx vertx,
      TripStore store,
      WriteCounts counts,
      Decisions decisions,
      FloodSettings settings,
      MeterRegistry meters,
      String instanceId,
      Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.counts = counts;
    this.decisions = decisions;
    this.settings = settings;
    this.meters = meters;
    this.webhook = settings.tripWebhook().map(uri -> new TripWebhook(vertx, uri)).orElse(null);
    this.instanceId = instanceId;
    this.clock = clock;
    this.rule = new TripRule(clock);
  }

  public void start() {
    last = clock.instant();
    counts.drain();
    timer = vertx.setPeriodic(PERIOD_MILLIS, id -> tick());
  }

  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return webhook == null ? Future.succeededFuture() : webhook.close();
  }

  private void tick() {
    if (busy) {
      return; // the database is slow: skip a tick rather than pile up (the counts wait)
    }
    Instant now = clock.instant();
    recent.add(now.toEpochMilli() - last.toEpochMilli(), counts.drain());
    last = now;
    JsonObject rates = new JsonObject();
    for (Map.Entry<String, Double> e : recent.rates().entrySet()) {
      rates.put(e.getKey(), Math.round(e.getValue() * 10) / 10.0);
    }
    busy = true;
    // The row already holds these rates (an idle replica's "{}" most of the time): no UPDATE, no
    // WAL, no commit for PostgreSQL; the fleet's rates are still read.
    Future<Void> report =
        rates.equals(reported)
            ? Future.succeededFuture()
            : store.report(instanceId, rates).onSuccess(v -> reported = rates);
    report
        .compose(v -> store.fleet())
        .onSuccess(
            fleet -> {
              for (TripStore.Fleet f : fleet) {
                rule.observe(f.source(), f.limit(), f.rate())
                    .filter(over -> !restricted(over.source()))
                    .ifPresent(this::trip);
              }
            })
        .onFailure(e -> LOG.debug("Auto-trip measurement failed: {}", e.getMessage()))
        .onComplete(ar -> busy = false);
  }

  /** Already under an operator's restriction or a trip (or its rehearsal): nothing to do. */
  private boolean restricted(String source) {
    Overrule o = decisions.overrules().get(source);
    return o != null && o.verdict() != Verdict.ACCEPT;
  }

  private void trip(TripRule.Over over) {
    TripAction action = settings.tripAction();
    boolean shadow = settings.tripMode() == TripMode.SHADOW;
    String measured =
        "fleet rate "
            + format(over.rate())
            + " writes/s > trip rate "
            + format(over.limit())
            + " "
            + over.evidence();
    String reason =
        shadow ? "would " + action.label() + " (trip mode shadow): " + measured : measured;
    int limit = (int) Math.max(0, Math.floor(over.limit()));
    String enforces =
        shadow
            ? null
            : switch (action) {
              case HOLD -> "quarantine";
              case THROTTLE -> "throttle";
              case KILL -> "reject";
            };
    store
        .trip(over.source(), enforces, action == TripAction.THROTTLE ? limit : null, reason)
        .onSuccess(
            id -> {
              if (id == 0) {
                return; // another replica tripped it first, or an operator acted
              }
              String label = shadow ? "would-" + action.label() : action.label();
              Counter.builder("ordergate.trips")
                  .description("Automatic trips (would-… under ORDERGATE_TRIP_MODE=shadow)")
                  .tag("source", over.source())
                  .tag("action", label)
                  .register(meters)
                  .increment();
              String text =
                  (shadow ? "Order Gate would have auto-tripped" : "Order Gate auto-tripped")
                      + " source '"
                      + over.source()
                      + "' ("
                      + label
                      + ", intervention #"
                      + id
                      + "): "
                      + measured
                      + ". Clear with: order-gate revive "
                      + over.source();
              LOG.warn(text);
              if (webhook != null) {
                webhook.post(
                    new JsonObject()
                        .put("text", text)
                        .put("source", over.source())
                        .put("action", label)
                        .put("fleetRate", over.rate())
                        .put("tripRate", over.limit())
                        .put("intervention", id)
                        .put("replica", instanceId));
              }
            })
        .onFailure(
            e -> LOG.warn("Cannot auto-trip source '{}': {}", over.source(), e.getMessage()));
  }

  private static String format(double rate) {
    NumberFormat f = NumberFormat.getIntegerInstance(Locale.US);
    return f.format(Math.round(rate));
  }
}
