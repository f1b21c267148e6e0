package io.ordergate.quarantine;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The releases this gateway runs in the background for the ops API. They live in this process: a
 * job id is known on the replica that started it. Finished ones are kept for a while to be looked
 * at.
 */
public final class Releases {
  private static final int KEPT = 100;

  private final Release.Tools tools;
  private final int defaultRate;
  private final Map<String, Release> jobs = new LinkedHashMap<>();

  public Releases(Release.Tools tools, int defaultRatePerSecond) {
    this.tools = tools;
    this.defaultRate = defaultRatePerSecond;
  }

  /** Starts a release; {@code ratePerSecond} null means the configured default. */
  public Future<Release> start(Selection selection, Integer ratePerSecond) {
    int rate;
    try {
      rate = ratePerSecond == null ? defaultRate : Release.checkRate(ratePerSecond);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return Release.resolve(tools.store(), selection)
        .compose(resolved -> Release.start(UUID.randomUUID().toString(), tools, resolved, rate))
        .onSuccess(this::remember);
  }

  public synchronized Release get(String id) {
    return jobs.get(id);
  }

  /** Newest first. */
  public synchronized List<Release> all() {
    List<Release> out = new ArrayList<>(jobs.values());
    java.util.Collections.reverse(out);
    return out;
  }

  /** Stops every running release after its current order; completes when all have stopped. */
  public Future<Void> stopAll(String why) {
    List<Future<Release.Progress>> running = new ArrayList<>();
    for (Release r : all()) {
      if (r.progress().state() == Release.State.RUNNING) {
        r.stop(why);
        running.add(r.done());
      }
    }
    return Future.join(running).mapEmpty();
  }

  private synchronized void remember(Release release) {
    jobs.put(release.id(), release);
    if (jobs.size() > KEPT) {
      jobs.entrySet()
          .removeIf(
              e -> jobs.size() > KEPT && e.getValue().progress().state() != Release.State.RUNNING);
    }
  }
}
