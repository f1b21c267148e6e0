package io.ordergate.flags;

import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.UnleashException;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.event.FeatureSet;
import io.getunleash.event.UnleashReady;
import io.getunleash.event.UnleashSubscriber;
import io.getunleash.repository.HttpFeatureFetcher;
import io.getunleash.util.UnleashConfig;
import io.getunleash.variant.Payload;
import io.getunleash.variant.Variant;
import io.ordergate.config.UnleashSettings;
import io.ordergate.decision.FlagEvaluator;
import io.ordergate.decision.FlagState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's only contact with the Unleash SDK. Polls the server (or a file) on a sub-second
 * schedule, keeps a backup, starts from the bootstrap file when nothing else is there, and calls
 * back when the flags changed so decisions can be rebuilt. Flags are evaluated only then, never per
 * request.
 */
public final class UnleashFlags implements FlagEvaluator, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UnleashFlags.class);

  /** The Unleash context field that carries the source id, so strategies can target sources. */
  public static final String SOURCE_CONTEXT_FIELD = "orderSource";

  static final long METRICS_INTERVAL_SECONDS = 15;

  private final UnleashSettings settings;
  private final Clock clock;
  private final PollScheduler scheduler;
  private final AtomicLong failedPolls = new AtomicLong();
  private volatile Unleash unleash;
  private volatile FlagOrigin origin = FlagOrigin.BOOTSTRAP;
  private volatile Instant confirmedAt;
  private volatile Instant changedAt;
  private volatile String lastError;
  private volatile boolean reachable;
  private volatile Runnable onChange = () -> {};
  private volatile FailLoudFetcher fetcher;

  public UnleashFlags(UnleashSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.scheduler = new PollScheduler(settings.fetchInterval());
  }

  /**
   * Loads the backup or bootstrap flags and starts polling. Reads files: call it off the event
   * loop.
   *
   * @param onChange runs on the poll thread whenever the flags in force changed
   */
  public void start(Runnable onChange) {
    this.onChange = onChange;
    try {
      Files.createDirectories(settings.backupFile().toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the directory of "
              + UnleashSettings.BACKUP_FILE
              + " "
              + settings.backupFile(),
          e);
    }
    origin = hasContent(settings.backupFile()) ? FlagOrigin.BACKUP : FlagOrigin.BOOTSTRAP;
    confirmedAt = clock.instant();
    changedAt = confirmedAt;
    UnleashConfig.Builder config =
        UnleashConfig.builder()
            .appName(settings.appName())
            .instanceId(settings.instanceId())
            .environment(settings.environment())
            .unleashAPI(
                settings.url().map(Object::toString).orElse("http://127.0.0.1:1/file-backed/api"))
            .apiKey(settings.apiToken())
            // seconds; the scheduler below recognises the fetch by it and polls in milliseconds
            .fetchTogglesInterval(PollScheduler.FETCH_PERIOD_SECONDS)
            .fetchTogglesConnectTimeout(java.time.Duration.ofSeconds(2))
            .fetchTogglesReadTimeout(java.time.Duration.ofSeconds(5))
            .scheduledExecutor(scheduler)
            .backupFile(settings.backupFile().toString())
            .toggleBootstrapProvider(new BootstrapFlags(settings.bootstrapFile()))
            .subscriber(new Subscriber());
    if (settings.fileBacked()) {
      config.disableMetrics(); // nobody to report to
    } else {
      // Registration and usage metrics let Unleash's UI list the gateways as connected instances
      // with "last seen", instead of "Connect SDK - pending".
      config.sendMetricsInterval(METRICS_INTERVAL_SECONDS);
    }
    if (settings.fileBacked()) {
      Path file = settings.flagsFile().orElseThrow();
      config.unleashFeatureFetcherFactory(
          c -> fetcher = new FailLoudFetcher(new FileFeatureFetcher(file)));
      origin = FlagOrigin.FILE;
    } else {
      config.unleashFeatureFetcherFactory(
          c -> fetcher = new FailLoudFetcher(new HttpFeatureFetcher(c)));
    }
    unleash = new DefaultUnleash(config.build());
    LOG.info(
        "Flags loaded from {} ({}); polling {} every {} ms",
        origin.label(),
        describeOrigin(),
        settings
            .url()
            .map(Object::toString)
            .orElse(settings.flagsFile().map(Path::toString).orElse("nothing")),
        settings.fetchInterval().toMillis());
    onChange.run();
  }

  private String describeOrigin() {
    return switch (origin) {
      case BACKUP -> settings.backupFile().toString();
      case FILE -> settings.flagsFile().map(Path::toString).orElse("");
      default ->
          settings.bootstrapFile().map(Path::toString).orElse("bundled " + BootstrapFlags.BUNDLED);
    };
  }

  private static boolean hasContent(Path file) {
    try {
      return Files.size(file) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public FlagState evaluate(String flagName, String sourceId) {
    Unleash u = unleash;
    if (u == null || u.more().getFeatureToggleDefinition(flagName).isEmpty()) {
      return FlagState.MISSING;
    }
    UnleashContext.Builder ctx =
        UnleashContext.builder().appName(settings.appName()).environment(settings.environment());
    if (sourceId != null) {
      ctx.addProperty(SOURCE_CONTEXT_FIELD, sourceId);
    }
    UnleashContext context = ctx.build();
    boolean enabled = u.isEnabled(flagName, context);
    Variant variant = u.getVariant(flagName, context);
    return new FlagState(
        true,
        enabled,
        variant.isEnabled() ? variant.getName() : null,
        variant.getPayload().map(Payload::getValue).orElse(null));
  }

  /**
   * The flags in force, for logs and {@code /ops/sources}: where they came from, when they last
   * changed and Unleash's revision id (the id of its latest event, as in its event log).
   */
  public String describeChange() {
    long revision = revision();
    return "flags from "
        + origin.label()
        + (revision >= 0 ? " at Unleash revision " + revision : "")
        + ", changed "
        + changedAt;
  }

  /**
   * True once the flags in force were fetched from Unleash (or the flags file), not only loaded
   * from a backup or bootstrap file.
   */
  public boolean fromUnleash() {
    return origin == FlagOrigin.SERVER || origin == FlagOrigin.FILE;
  }

  public FlagStatus status() {
    return new FlagStatus(origin, confirmedAt, changedAt, failedPolls.get(), lastError, reachable);
  }

  /** Polls at once, and again shortly until Unleash shows a newer revision than now. */
  public void refreshNow() {
    refreshUntil(0);
  }

  /**
   * Polls at once, and again every 50 ms for a few seconds until the flags fetched are at least at
   * Unleash revision {@code unleashEventId} (the id of the event a webhook announced; Unleash's
   * revision is its latest event id), or newer than now when it is 0 or less.
   */
  public void refreshUntil(long unleashEventId) {
    long wanted = unleashEventId > 0 ? unleashEventId : revision() + 1;
    scheduler.refreshUntil(() -> revision() >= wanted);
  }

  /**
   * A webhook said Unleash event {@code eventId} switched {@code flag} on or off in {@code
   * environment}: for this gateway's environment and a flag it has, decide by it now, and fetch
   * until Unleash publishes it (then the fetch rules). Returns null when applied, else why not.
   */
  public String applyProvisional(String flag, String environment, boolean enabled, long eventId) {
    FailLoudFetcher f = fetcher;
    String refused =
        settings.fileBacked()
            ? "flags come from a file"
            : !settings.environment().equals(environment)
                ? "it is about environment '%s', this gateway's is '%s'"
                    .formatted(environment, settings.environment())
                : f == null ? "no flags fetched yet" : f.offer(flag, enabled, eventId);
    if (refused == null) {
      refreshUntil(eventId); // its first poll hands the state over
    }
    return refused;
  }

  /**
   * The Unleash revision (its latest event id) that the flag's state as evaluated now reflects;
   * {@code Long.MAX_VALUE} (current) when unknown, e.g. for flags from a file.
   */
  public long revisionOf(String flag) {
    FailLoudFetcher f = fetcher;
    return f == null ? Long.MAX_VALUE : f.revisionOf(flag);
  }

  private long revision() {
    FailLoudFetcher f = fetcher;
    return f == null ? -1 : f.revisionId();
  }

  @Override
  public void close() {
    Unleash u = unleash;
    if (u != null) {
      u.shutdown();
    }
    scheduler.shutdownNow();
  }

  private final class Subscriber implements UnleashSubscriber {
    @Override
    public void togglesFetched(ClientFeaturesResponse response) {
      switch (response.getStatus()) {
        case CHANGED -> {
          FailLoudFetcher f = fetcher;
          if (f == null || !f.lastProvisional()) {
            markReachable(); // a webhook's state did not come from asking Unleash
          }
          origin = settings.fileBacked() ? FlagOrigin.FILE : FlagOrigin.SERVER;
          changedAt = clock.instant();
          changed();
        }
        case NOT_CHANGED -> markReachable();
        case UNAVAILABLE ->
            markFailed(
                "flag source answered HTTP "
                    + response.getHttpStatusCode()); // not expected: FailLoudFetcher throws
      }
    }

    @Override
    public void onError(UnleashException e) {
      markFailed(e.getMessage() + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""));
    }

    @Override
    public void onReady(UnleashReady ready) {
      changed();
    }

    @Override
    public void featuresBootstrapped(FeatureSet set) {
      changed();
    }

    @Override
    public void featuresBackupRestored(FeatureSet set) {
      changed();
    }

    /** Events can arrive while the SDK is still being constructed; start() rebuilds once after. */
    private void changed() {
      if (unleash != null) {
        onChange.run();
      }
    }

    private void markReachable() {
      confirmedAt = clock.instant();
      if (!reachable) {
        if (failedPolls.get() == 0) {
          LOG.info(
              "Flag source reachable; flags now come from {}",
              settings.url().map(Object::toString).orElse("the flags file"));
        } else {
          LOG.info("Flag source reachable again after {} failed polls", failedPolls.get());
        }
      }
      reachable = true;
      lastError = null;
    }

    private void markFailed(String error) {
      failedPolls.incrementAndGet();
      if (reachable || lastError == null) {
        LOG.warn(
            "Cannot fetch flags ({}); keeping the last known flags from {}", error, confirmedAt);
      }
      reachable = false;
      lastError = error;
    }
  }
}
