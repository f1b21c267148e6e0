package io.ordergate.decision;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A rehearsal on a source: the action its writes would get, counted and audited but not enforced
 * (flag variant {@code shadow}, payload {@code {"action": "kill"|"hold"|"throttle",
 * "ratePerSecond": N}}).
 *
 * @param ratePerSecond the rate of a shadow {@link Action#THROTTLE}; 0 for the other actions
 */
public record Shadow(Action action, int ratePerSecond) {

  /** What the source would get, and the decision a write is counted under instead. */
  public enum Action {
    /** As {@code kill}: every write would be refused (503 {@code source-disabled}). */
    KILL("would-reject"),
    /** As {@code hold}: every write would be held in quarantine (202). */
    HOLD("would-quarantine"),
    /**
     * As {@code throttle}: writes over the rate would be refused (429 {@code source-throttled}).
     */
    THROTTLE("would-throttle");

    private final String wouldDecision;

    Action(String wouldDecision) {
      this.wouldDecision = wouldDecision;
    }

    /** The decision label of a write this action would have stopped. */
    public String wouldDecision() {
      return wouldDecision;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Shadow {
    if (action == null) {
      throw new IllegalArgumentException("a shadow needs an action");
    }
    if (action == Action.THROTTLE
        ? ratePerSecond < 0 || ratePerSecond > ThrottlePayload.MAX_RATE
        : ratePerSecond != 0) {
      throw new IllegalArgumentException("ratePerSecond belongs to a shadow throttle only");
    }
  }

  /** The variant's payload, as the {@code shadow} command writes it. */
  public String payload() {
    return action == Action.THROTTLE
        ? "{\"action\": \"throttle\", \"ratePerSecond\": " + ratePerSecond + "}"
        : "{\"action\": \"" + action.label() + "\"}";
  }

  /** Reads a payload; null when it is missing, not JSON, or names no known action. */
  public static Shadow parse(String payload) {
    if (payload == null || payload.isBlank()) {
      return null;
    }
    try {
      JsonObject json = new JsonObject(payload);
      Action action =
          switch (String.valueOf(json.getValue("action"))) {
            case "kill" -> Action.KILL;
            case "hold" -> Action.HOLD;
            case "throttle" -> Action.THROTTLE;
            default -> null;
          };
      if (action != Action.THROTTLE) {
        return action == null ? null : new Shadow(action, 0);
      }
      int rate = ThrottlePayload.ratePerSecond(payload);
      return rate < 0 ? null : new Shadow(action, rate);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** For operators, e.g. "shadow throttle at 50 writes/s". */
  public String describe() {
    return action == Action.THROTTLE
        ? "shadow throttle at " + ratePerSecond + " writes/s per replica"
        : "shadow " + action.label();
  }
}
