package io.ordergate.intervention;

import io.ordergate.decision.DecisionTable;
import io.ordergate.decision.SourceDecision;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/** Per source what a replica enforces, as its heartbeat reports it. */
final class EnforcedState {
  private EnforcedState() {}

  /** For {@code /ops/replicas} and {@code status}: one entry per source, sorted by id. */
  static JsonObject of(DecisionTable table) {
    JsonObject out = new JsonObject();
    table.bySource().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.put(e.getKey(), describe(e.getValue())));
    return out;
  }

  static JsonObject describe(SourceDecision d) {
    return new JsonObject()
        .put("verdict", d.verdict().name().toLowerCase(Locale.ROOT))
        .put("variant", d.variant())
        .put("ratePerSecond", d.ratePerSecond() == 0 ? null : d.ratePerSecond())
        .put("intervention", d.overrule() == null ? null : d.overrule().interventionId())
        .put("unleash", d.unleash() == null ? null : d.unleash().describe());
  }
}
