package io.ordergate.cli;

import io.ordergate.config.DatabaseSettings;
import io.ordergate.intervention.Action;
import io.ordergate.intervention.Intervention;
import io.ordergate.intervention.InterventionStore;
import io.ordergate.intervention.InterventionStore.Ack;
import io.ordergate.intervention.Replica;
import io.ordergate.intervention.ReplicaStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Publishes an intervention and waits until every live replica acknowledged it: the command returns
 * 0 only when a write to any replica already gets the new answer.
 */
final class Confirmation {
  /** Exit code when some live replicas did not confirm in time (the change stays recorded). */
  static final int NOT_CONFIRMED = 3;

  private static final long POLL_MILLIS = 5;
  private static final long FLEET_POLL_MILLIS = 250;

  private Confirmation() {}

  /**
   * What is read before publishing, while the command still waits for Unleash: whether the source
   * is in the registry, and the live replicas that must confirm.
   */
  record Fleet(boolean sourceKnown, Map<String, Replica> live) {}

  static Fleet fleet(CliDatabase db, String sourceId) {
    boolean known =
        db.await(
                db.pool
                    .preparedQuery("SELECT 1 FROM sources WHERE id = $1")
                    .execute(io.vertx.sqlclient.Tuple.of(sourceId))
                    .map(r -> r.size()),
                30)
            > 0;
    Fleet fleet = new Fleet(known, live(db, new ReplicaStore(db.pool)));
    CliTiming.mark("source and replicas read");
    return fleet;
  }

  /**
   * @return 0 when every live replica confirmed, {@link #NOT_CONFIRMED} otherwise
   */
  static int publishAndAwait(
      CliDatabase db,
      Fleet fleet,
      Intervention draft,
      Duration wait,
      PrintWriter out,
      PrintWriter err) {
    ReplicaStore replicas = new ReplicaStore(db.pool);
    InterventionStore store = new InterventionStore(db.pool);
    if (!fleet.sourceKnown()) {
      err.println(
          "order-gate: warning: no source '"
              + draft.sourceId()
              + "' in the source registry; the intervention is recorded for when it is added");
    }
    Map<String, Replica> required = new LinkedHashMap<>(fleet.live());
    long t0 = System.nanoTime();
    Intervention published = db.await(store.publish(draft), 30);
    CliTiming.mark("published");
    long deadline = t0 + wait.toNanos();
    Map<String, Ack> acked = new HashMap<>();
    long nextFleetCheck = System.nanoTime() + FLEET_POLL_MILLIS * 1_000_000;
    while (true) {
      for (Ack a : db.await(store.acks(published.id()), 30)) {
        acked.put(a.instanceId(), a);
      }
      if (acked.keySet().containsAll(required.keySet())) {
        break;
      }
      if (System.nanoTime() > deadline) {
        break;
      }
      if (System.nanoTime() > nextFleetCheck) {
        // A replica that stopped heart-beating meanwhile is gone: never wait for it.
        Map<String, Replica> stillLive = live(db, replicas);
        required.keySet().removeIf(id -> !stillLive.containsKey(id));
        nextFleetCheck = System.nanoTime() + FLEET_POLL_MILLIS * 1_000_000;
      }
      sleep(POLL_MILLIS);
    }
    long tookMillis = (System.nanoTime() - t0) / 1_000_000;
    List<String> missing =
        required.keySet().stream().filter(id -> !acked.containsKey(id)).sorted().toList();
    int confirmed = required.size() - missing.size();
    long slowest =
        required.keySet().stream()
            .map(acked::get)
            .filter(a -> a != null)
            .mapToLong(a -> a.afterPublish().toMillis())
            .max()
            .orElse(0);
    Action action = draft.action();
    String who = published.summary();
    if (missing.isEmpty()) {
      out.println(
          draft.sourceId()
              + " "
              + action.pastTense()
              + ": "
              + confirmed
              + "/"
              + required.size()
              + " replicas "
              + action.effect()
              + (required.isEmpty()
                  ? " (no live replica right now; every replica that starts enforces it)"
                  : " (slowest " + slowest + " ms)"));
      out.println("Recorded as " + who + "; confirmed in " + tookMillis + " ms.");
      return 0;
    }
    out.println(
        draft.sourceId()
            + " "
            + action.pastTense()
            + " on "
            + confirmed
            + "/"
            + required.size()
            + " replicas only.");
    err.println(
        "order-gate: not confirmed within "
            + wait.toMillis()
            + " ms by "
            + missing.size()
            + " live replica(s): "
            + missing.stream()
                .map(id -> describe(required.get(id)))
                .collect(Collectors.joining(", "))
            + ". The change stays recorded ("
            + who
            + "); those replicas apply it when they reconnect to PostgreSQL or see the Unleash change."
            + " Check with: status (exit "
            + NOT_CONFIRMED
            + ")");
    return NOT_CONFIRMED;
  }

  /** Without the database the command can change Unleash but not prove any replica enforces it. */
  static int cannotConfirm(PrintWriter err) {
    err.println(
        "order-gate: cannot confirm: "
            + DatabaseSettings.URL
            + " is not set, so the change was made in Unleash only and no replica was asked to"
            + " acknowledge it; replicas pick it up from Unleash within about a second (exit "
            + NOT_CONFIRMED
            + ")");
    return NOT_CONFIRMED;
  }

  private static String describe(Replica r) {
    return r.instanceId()
        + " ("
        + r.host()
        + ":"
        + r.trafficPort()
        + ", last heartbeat "
        + r.heartbeatAge().toMillis()
        + " ms ago)";
  }

  private static Map<String, Replica> live(CliDatabase db, ReplicaStore replicas) {
    Map<String, Replica> out = new LinkedHashMap<>();
    for (Replica r : db.await(replicas.list(), 30)) {
      if (r.live()) {
        out.put(r.instanceId(), r);
      }
    }
    return out;
  }

  /** "5s", "500ms", "2m" or a plain number of seconds. */
  static Duration parseWait(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      Duration d;
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d =
            Duration.ofMillis(
                Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      } else if (t.endsWith("m")) {
        d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
      } else {
        d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
      }
      if (d.isNegative() || d.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new CliFailure("--wait must be between 0 and 10m, was '" + text + "'");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new CliFailure("--wait takes a duration such as 5s, 500ms or 1m, was '" + text + "'");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure("interrupted while waiting for confirmations");
    }
  }
}
