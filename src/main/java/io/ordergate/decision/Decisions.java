package io.ordergate.decision;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link DecisionTable} and rebuilds it when flags, sources or interventions
 * change. Every change produces a new immutable table; a request reads it once.
 *
 * <p>Precedence: an {@link Overrule} (an intervention) holds until the source's own flag, as
 * evaluated from Unleash, differs from its {@link Overrule#baseline()}; then it lapses and Unleash
 * rules again.
 */
public final class Decisions {
  private static final Logger LOG = LoggerFactory.getLogger(Decisions.class);

  /** An intervention that ended because its source's flag changed in Unleash. */
  public record Lapsed(String sourceId, Overrule overrule, FlagState unleash) {}

  private final FlagEvaluator flags;
  private final DecisionPolicy policy;
  private final Supplier<Collection<String>> sourceIds;
  private final Clock clock;
  private final Map<String, Overrule> overrules = new HashMap<>();
  private final Map<String, String> causes = new HashMap<>();
  private volatile DecisionTable current = DecisionTable.EMPTY;
  private volatile boolean built;
  private volatile BooleanSupplier flagsFromUnleash = () -> true;
  private volatile Consumer<Lapsed> onLapse = l -> {};
  private volatile ToLongFunction<String> flagRevision = flag -> Long.MAX_VALUE;

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

  /**
   * @param fromUnleash true once the flags in force were fetched from Unleash (or the flags file),
   *     not only loaded from a bootstrap or backup file: only then is a flag state a baseline
   * @param onLapse told (on the rebuilding thread) when an intervention ends
   */
  public void interventions(BooleanSupplier fromUnleash, Consumer<Lapsed> onLapse) {
    this.flagsFromUnleash = fromUnleash;
    this.onLapse = onLapse;
  }

  /**
   * @param byFlag the Unleash revision a flag's state as evaluated now reflects (the flags fetched,
   *     or a webhook's event laid over them); unknown: {@code Long.MAX_VALUE}, i.e. current
   */
  public void flagRevisions(ToLongFunction<String> byFlag) {
    this.flagRevision = byFlag;
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
    List<Lapsed> lapsed = settleOverrules();
    DecisionTable previous = current;
    long revision = previous.revision() + 1;
    DecisionTable candidate =
        DecisionTable.build(
            flags,
            List.copyOf(sourceIds.get()),
            policy,
            Map.copyOf(overrules),
            revision,
            clock.instant(),
            Map.of());
    boolean changed = !built || !candidate.sameDecisionsAs(previous);
    if (changed) {
      candidate
          .bySource()
          .forEach(
              (id, d) -> {
                if (!d.equals(previous.bySource().get(id))) {
                  causes.put(id, "decision revision " + revision + ": " + why);
                }
              });
      causes.keySet().retainAll(candidate.bySource().keySet());
      current =
          new DecisionTable(
              candidate.bySource(),
              candidate.unknownSource(),
              revision,
              candidate.builtAt(),
              Map.copyOf(causes));
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
      logChanges(previous, current, why);
    }
    lapsed.forEach(onLapse);
    return current;
  }

  /**
   * Puts an intervention in force for a source (unless a newer one already is) and rebuilds at
   * once. Its baseline is the source's flag as Unleash says now.
   */
  public synchronized DecisionTable overrule(String sourceId, Overrule overrule, String why) {
    Overrule existing = overrules.get(sourceId);
    if (existing != null && existing.interventionId() > overrule.interventionId()) {
      return current;
    }
    if (existing == null || existing.interventionId() != overrule.interventionId()) {
      overrules.put(sourceId, withBaseline(sourceId, overrule));
    }
    return rebuild(why);
  }

  /**
   * Replaces every intervention in force with {@code inForce} (after a reload from the database),
   * keeping the baselines of those already applied.
   */
  public synchronized DecisionTable replaceOverrules(Map<String, Overrule> inForce, String why) {
    Map<String, Overrule> next = new HashMap<>();
    inForce.forEach(
        (source, o) -> {
          Overrule existing = overrules.get(source);
          next.put(
              source,
              existing != null && existing.interventionId() == o.interventionId()
                  ? existing
                  : withBaseline(source, o));
        });
    overrules.clear();
    overrules.putAll(next);
    return rebuild(why);
  }

  /** The interventions in force, by source. */
  public synchronized Map<String, Overrule> overrules() {
    return Map.copyOf(overrules);
  }

  /** The baseline another replica recorded, else the source's flag as Unleash says now. */
  private Overrule withBaseline(String sourceId, Overrule o) {
    if (o.baseline() != null) {
      return o;
    }
    return o.withBaseline(
        flagsFromUnleash.getAsBoolean()
            ? flags.evaluate(policy.flagFor(sourceId), sourceId)
            : null);
  }

  /** Ends the overrules whose flag changed in Unleash; fixes baselines that were still open. */
  private List<Lapsed> settleOverrules() {
    if (overrules.isEmpty()) {
      return List.of();
    }
    boolean fromUnleash = flagsFromUnleash.getAsBoolean();
    List<Lapsed> lapsed = new java.util.ArrayList<>();
    for (Map.Entry<String, Overrule> e : List.copyOf(overrules.entrySet())) {
      if (!fromUnleash) {
        continue;
      }
      Overrule o = e.getValue();
      String flag = policy.flagFor(e.getKey());
      if (o.unleashRevision() > 0 && flagRevision.applyAsLong(flag) < o.unleashRevision()) {
        // What we see predates the change made with the intervention (a late webhook, a fetch of
        // a revision published before it): not the next change, so it neither ends it nor becomes
        // its baseline.
        continue;
      }
      FlagState now = flags.evaluate(flag, e.getKey());
      if (o.baseline() == null || o.baseline().equals(now)) {
        overrules.put(e.getKey(), o.withBaseline(now));
      } else if (unleashAgrees(e.getKey(), now, o)) {
        // Unleash caught up with the intervention (the change made with it): it still holds, and
        // the next change in Unleash ends it.
        overrules.put(e.getKey(), o.withBaseline(now));
      } else {
        overrules.remove(e.getKey());
        lapsed.add(new Lapsed(e.getKey(), o, now));
      }
    }
    return lapsed;
  }

  private boolean unleashAgrees(String sourceId, FlagState now, Overrule o) {
    SourceDecision unleash =
        DecisionTable.fromUnleash(sourceId, policy.flagFor(sourceId), policy, now);
    return o.verdict() != null
        && unleash.verdict() == o.verdict()
        && unleash.ratePerSecond() == o.ratePerSecond();
  }

  private static void logChanges(DecisionTable before, DecisionTable after, String why) {
    after
        .bySource()
        .forEach(
            (id, d) -> {
              SourceDecision old = before.bySource().get(id);
              if (!d.equals(old)) {
                LOG.info(
                    "Decision for source '{}': {}{} ({}) [decision revision {}, {}{}]",
                    id,
                    d.verdict(),
                    d.variant() == null ? "" : " variant " + d.variant(),
                    d.reason(),
                    after.revision(),
                    why,
                    d.overrule() == null
                        ? d.unleash() == null ? "" : "; Unleash says " + d.unleash().describe()
                        : "; " + d.overrule().summary());
              }
            });
  }
}
