package io.ordergate.decision;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Holds the current {@link DecisionTable} and rebuilds it when flags or sources change. */
public final class Decisions {
  private static final Logger LOG = LoggerFactory.getLogger(Decisions.class);

  private final FlagEvaluator flags;
  private final DecisionPolicy policy;
  private final Supplier<Collection<String>> sourceIds;
  private final Clock clock;
  private volatile DecisionTable current = DecisionTable.EMPTY;
  private volatile boolean built;

  /** When each source's decision last changed: the build time of the table that changed it. */
  private final Map<String, Instant> changedAt = new ConcurrentHashMap<>();

  public Decisions(
      FlagEvaluator flags,
      DecisionPolicy policy,
      Supplier<Collection<String>> sourceIds,
      Clock clock) {
    this.flags = flags;
    this.policy = policy;
    this.sourceIds = sourceIds;
    this.clock = clock;
  }

  /** The table for this request; one volatile read. */
  public DecisionTable current() {
    return current;
  }

  public boolean built() {
    return built;
  }

  /** When the source's decision last changed on this replica (or was first made); null if never. */
  public Instant changedAt(String sourceId) {
    return changedAt.get(sourceId);
  }

  public DecisionPolicy policy() {
    return policy;
  }

  /** Re-evaluates all flags; safe to call from any thread, cheap enough to call on every poll. */
  public synchronized DecisionTable rebuild(String why) {
    DecisionTable previous = current;
    DecisionTable candidate =
        DecisionTable.build(
            flags, List.copyOf(sourceIds.get()), policy, previous.revision() + 1, clock.instant());
    boolean changed = !built || !candidate.sameDecisionsAs(previous);
    if (changed) {
      current = candidate;
      built = true;
      candidate
          .bySource()
          .forEach(
              (id, d) -> {
                if (!d.equals(previous.bySource().get(id))) {
                  changedAt.put(id, candidate.builtAt());
                }
              });
      changedAt.keySet().retainAll(candidate.bySource().keySet());
      logChanges(previous, candidate, why);
    }
    return current;
  }

  private static void logChanges(DecisionTable before, DecisionTable after, String why) {
    after
        .bySource()
        .forEach(
            (id, d) -> {
              SourceDecision old = before.bySource().get(id);
              if (!d.equals(old)) {
                LOG.info(
                    "Decision for source '{}': {}{} ({}) [revision {}, {}]",
                    id,
                    d.verdict(),
                    d.variant() == null ? "" : " variant " + d.variant(),
                    d.reason(),
                    after.revision(),
                    why);
              }
            });
  }
}
