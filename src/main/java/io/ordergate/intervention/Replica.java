package io.ordergate.intervention;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * One row of the {@code replicas} table.
 *
 * @param state per source: {@code {"verdict", "variant", "ratePerSecond", "intervention",
 *     "unleash"}} as this replica enforces it
 * @param live heart-beating within {@link ReplicaStore#GONE_AFTER} and not stopped
 * @param heartbeatAge how long ago the last heartbeat was, by the database's clock
 */
public record Replica(
    String instanceId,
    String host,
    int trafficPort,
    int opsPort,
    Instant startedAt,
    Instant heartbeatAt,
    Instant stoppedAt,
    long appliedIntervention,
    JsonObject state,
    boolean live,
    Duration heartbeatAge) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("instance", instanceId)
        .put("host", host)
        .put("trafficPort", trafficPort)
        .put("opsPort", opsPort)
        .put("startedAt", startedAt.toString())
        .put("heartbeatAt", heartbeatAt.toString())
        .put("heartbeatAgeMs", heartbeatAge.toMillis())
        .put("stoppedAt", stoppedAt == null ? null : stoppedAt.toString())
        .put("status", live ? "live" : "gone")
        .put("appliedIntervention", appliedIntervention)
        .put("sources", state);
  }
}
