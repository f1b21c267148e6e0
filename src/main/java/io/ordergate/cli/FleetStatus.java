package io.ordergate.cli;

import io.ordergate.intervention.Action;
import io.ordergate.intervention.Intervention;
import io.ordergate.intervention.InterventionStore;
import io.ordergate.intervention.Replica;
import io.ordergate.intervention.ReplicaStore;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The database half of {@code status}: interventions in force (and whether Unleash agrees), the
 * replicas, and what each live replica enforces per source.
 */
final class FleetStatus {
  private final CliDatabase db;
  private final String flagPrefix;

  /** Each source's flag in Unleash ("off", "on", "on, variant …"), or null when unreachable. */
  private final Map<String, String> unleash;

  FleetStatus(CliDatabase db, String flagPrefix, Map<String, String> unleash) {
    this.db = db;
    this.flagPrefix = flagPrefix;
    this.unleash = unleash;
  }

  void print(PrintWriter out) {
    List<Intervention> inForce = db.await(new InterventionStore(db.pool).inForce(), 30);
    List<Replica> replicas = db.await(new ReplicaStore(db.pool).list(), 30);
    out.println();
    if (inForce.isEmpty()) {
      out.println("Interventions in force: none (Unleash decides every source)");
    } else {
      out.println("Interventions in force (each holds until its flag next changes in Unleash):");
      for (Intervention i : inForce) {
        out.printf(
            "  %-12s %s, %s; Unleash change with it: %s%n",
            i.sourceId(),
            i.summary(),
            i.createdAt(),
            i.unleashChange().isBlank() ? "none" : i.unleashChange());
        String flag = unleash == null ? null : unleash.get(i.sourceId());
        if (unleash != null && !agrees(i, flag)) {
          out.printf(
              "  %-12s ! Unleash disagrees: flag '%s%s' is %s there, the replicas enforce %s%n",
              "", flagPrefix, i.sourceId(), flag == null ? "missing" : flag, i.action().label());
        }
      }
    }
    List<Replica> live = replicas.stream().filter(Replica::live).toList();
    out.println();
    out.printf(
        "Replicas: %d live, %d gone (no heartbeat for %d s or stopped)%n",
        live.size(), replicas.size() - live.size(), ReplicaStore.GONE_AFTER.toSeconds());
    for (Replica r : replicas) {
      out.printf(
          "  %-24s %-5s %s traffic %d ops %d, up since %s, heartbeat %d ms ago, applied intervention #%d%n",
          r.instanceId(),
          r.live() ? "live" : "GONE",
          r.host(),
          r.trafficPort(),
          r.opsPort(),
          r.startedAt(),
          r.heartbeatAge().toMillis(),
          r.appliedIntervention());
    }
    if (live.isEmpty()) {
      return;
    }
    out.println();
    out.println("What each live replica enforces:");
    TreeSet<String> sources = new TreeSet<>();
    live.forEach(r -> sources.addAll(r.state().fieldNames()));
    StringBuilder header = new StringBuilder(String.format("  %-12s", "SOURCE"));
    live.forEach(r -> header.append(String.format(" %-22s", r.instanceId())));
    out.println(header);
    List<String> disagreements = new ArrayList<>();
    for (String source : sources) {
      StringBuilder line = new StringBuilder(String.format("  %-12s", source));
      TreeSet<String> distinct = new TreeSet<>();
      for (Replica r : live) {
        String enforced = enforced(r.state().getJsonObject(source));
        distinct.add(enforced);
        line.append(String.format(" %-22s", enforced));
      }
      out.println(line);
      if (distinct.size() > 1) {
        disagreements.add(source);
      }
    }
    if (!disagreements.isEmpty()) {
      out.println(
          "  ! replicas disagree on: "
              + String.join(", ", disagreements)
              + " (a change still arriving, or a replica that cannot reach Unleash or PostgreSQL)");
    }
  }

  private static String enforced(JsonObject d) {
    if (d == null) {
      return "-";
    }
    String verdict = d.getString("verdict");
    Integer rate = d.getInteger("ratePerSecond");
    Long intervention = d.getLong("intervention");
    return verdict
        + (rate == null ? "" : " " + rate + "/s")
        + (intervention == null ? "" : " #" + intervention);
  }

  /** Whether Unleash's flag says what the intervention enforces. */
  static boolean agrees(Intervention i, String flag) {
    if (flag == null) {
      return false;
    }
    Action a = i.action();
    return switch (a) {
      case KILL -> flag.equals("off");
      case REVIVE -> flag.equals("on");
      case HOLD -> flag.startsWith("on, variant quarantine");
      case THROTTLE ->
          flag.startsWith("on, variant throttle")
              && flag.replace(" ", "").contains("\"ratePerSecond\":" + i.ratePerSecond() + "}");
      // an auto-trip (or its rehearsal) deliberately leaves Unleash as it is
      case SHADOW, TRIP -> true;
    };
  }
}
