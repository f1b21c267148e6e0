package io.ordergate.cleanup;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * Where a clean-up run stands, as stored: its items by state, the failures grouped by reason, and
 * what it does not send (orders without an id, orders an earlier run already cancelled).
 *
 * @param state {@code running}, {@code stopped} or {@code finished}
 * @param failures reason ({@code HTTP 500}, or the transport error) to count, most frequent first
 */
public record CleanupReport(
    long runId,
    CleanupWindow window,
    String state,
    String instanceId,
    String cancelRequest,
    Instant startedAt,
    Instant finishedAt,
    long pending,
    long cancelled,
    long gone,
    long failed,
    Map<String, Long> failures,
    long withoutOrderId,
    long cancelledEarlier) {

  public long total() {
    return pending + cancelled + gone + failed;
  }

  public JsonObject toJson() {
    JsonArray reasons = new JsonArray();
    failures.forEach(
        (reason, count) -> reasons.add(new JsonObject().put("reason", reason).put("count", count)));
    return new JsonObject()
        .put("runId", runId)
        .put("source", window.source())
        .put("since", window.since().toString())
        .put("until", window.until().toString())
        .put("state", state)
        .put("instance", instanceId)
        .put("cancelRequest", cancelRequest)
        .put("startedAt", startedAt == null ? null : startedAt.toString())
        .put("finishedAt", finishedAt == null ? null : finishedAt.toString())
        .put("total", total())
        .put("pending", pending)
        .put("cancelled", cancelled)
        .put("alreadyGone", gone)
        .put("failed", failed)
        .put("failures", reasons)
        .put("withoutOrderId", withoutOrderId)
        .put("cancelledByEarlierRuns", cancelledEarlier);
  }
}
