package io.ordergate.cleanup;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * What a clean-up of a window would do (the dry run): the orders the gateway forwarded in it, read
 * from the audit table.
 *
 * @param orders audit rows in the window: successful POSTs forwarded (or released from quarantine)
 * @param withoutOrderId rows whose answer carried no order id: they cannot be cancelled from here
 * @param orderIds distinct order ids among the rows
 * @param alreadyCancelled of those, ids an earlier run already cancelled (or found gone)
 * @param sample the oldest orders still to cancel
 */
public record CleanupPlan(
    CleanupWindow window,
    long orders,
    long withoutOrderId,
    long orderIds,
    long alreadyCancelled,
    List<SampleOrder> sample) {

  public record SampleOrder(String orderId, Instant receivedAt, String requestId, String path) {}

  public CleanupPlan {
    sample = List.copyOf(sample);
  }

  public long toCancel() {
    return orderIds - alreadyCancelled;
  }

  public JsonObject toJson() {
    JsonArray rows = new JsonArray();
    sample.forEach(
        s ->
            rows.add(
                new JsonObject()
                    .put("orderId", s.orderId())
                    .put("receivedAt", s.receivedAt().toString())
                    .put("requestId", s.requestId())
                    .put("path", s.path())));
    return new JsonObject()
        .put("dryRun", true)
        .put("source", window.source())
        .put("since", window.since().toString())
        .put("until", window.until().toString())
        .put("orders", orders)
        .put("withOrderId", orders - withoutOrderId)
        .put("withoutOrderId", withoutOrderId)
        .put("distinctOrderIds", orderIds)
        .put("alreadyCancelled", alreadyCancelled)
        .put("toCancel", toCancel())
        .put("sample", rows);
  }
}
