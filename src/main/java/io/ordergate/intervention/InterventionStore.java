package io.ordergate.intervention;

import io.ordergate.decision.FlagState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * All SQL of interventions and their acknowledgements. Publishing stores the intervention and
 * notifies every replica on {@link #CHANNEL} in one statement.
 */
public final class InterventionStore {
  /**
   * Notifications: an intervention id, {@code refresh:<instance>[;event=<id>]} (a webhook said so),
   * or {@code switch:<json>} (a webhook's flag switched on or off, to apply at once).
   */
  public static final String CHANNEL = "ordergate_interventions";

  static final String REFRESH_PREFIX = "refresh:";
  static final String SWITCH_PREFIX = "switch:";

  private static final String COLUMNS =
      "id, source_id, action, enforces, rate_per_second, actor, reason, unleash_change, created_at, unleash_baseline, superseded_by, unleash_revision";
  private static final String PUBLISH =
      "WITH i AS (INSERT INTO interventions(source_id, action, enforces, rate_per_second, actor, reason, unleash_change, unleash_revision, created_at)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp()) RETURNING "
          + COLUMNS
          + ") SELECT i.*, pg_notify('"
          + CHANNEL
          + "', i.id::text) FROM i";
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM interventions WHERE id = $1";
  private static final String IN_FORCE =
      "SELECT * FROM (SELECT DISTINCT ON (source_id) "
          + COLUMNS
          + ", superseded_at FROM interventions ORDER BY source_id, id DESC) latest"
          + " WHERE superseded_at IS NULL ORDER BY source_id";
  private static final String LATEST =
      "SELECT DISTINCT ON (source_id) "
          + COLUMNS
          + " FROM interventions ORDER BY source_id, id DESC";
  private static final String SUPERSEDE =
      "UPDATE interventions SET superseded_at = clock_timestamp(), superseded_by = $2"
          + " WHERE id = $1 AND superseded_at IS NULL";
  private static final String SET_BASELINE =
      "UPDATE interventions SET unleash_baseline = $2 WHERE id = $1 AND unleash_baseline IS NULL";
  private static final String ACK =
      "INSERT INTO intervention_acks(intervention_id, instance_id, applied_at)"
          + " VALUES ($1, $2, clock_timestamp()) ON CONFLICT DO NOTHING";
  private static final String ACKS =
      "SELECT a.instance_id, extract(epoch FROM a.applied_at - i.created_at) * 1000"
          + " FROM intervention_acks a JOIN interventions i ON i.id = a.intervention_id"
          + " WHERE a.intervention_id = $1";
  private static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', $1)";

  private final Pool pool;

  public InterventionStore(Pool pool) {
    this.pool = pool;
  }

  /** One replica's acknowledgement and how long after the publication it applied it. */
  public record Ack(String instanceId, Duration afterPublish) {}

  /** Stores the intervention and tells every replica; returns it with id and time. */
  public Future<Intervention> publish(Intervention draft) {
    return pool.preparedQuery(PUBLISH)
        .execute(
            Tuple.of(
                draft.sourceId(),
                draft.action().label(),
                Action.verdictLabel(draft.enforces()),
                draft.action() == Action.THROTTLE ? draft.ratePerSecond() : null,
                draft.actor(),
                draft.reason(),
                draft.unleashChange(),
                draft.unleashRevision() > 0 ? draft.unleashRevision() : null))
        .map(rows -> toIntervention(rows.iterator().next()));
  }

  public Future<Intervention> byId(long id) {
    return pool.preparedQuery(BY_ID)
        .execute(Tuple.of(id))
        .map(rows -> rows.iterator().hasNext() ? toIntervention(rows.iterator().next()) : null);
  }

  /** The latest intervention of each source, unless an Unleash change has ended it. */
  public Future<List<Intervention>> inForce() {
    return pool.query(IN_FORCE).execute().map(InterventionStore::toList);
  }

  /** The latest intervention of each source, in force or ended. */
  public Future<List<Intervention>> latest() {
    return pool.query(LATEST).execute().map(InterventionStore::toList);
  }

  /** Records that an Unleash change ended the intervention; the first replica to see it wins. */
  public Future<Boolean> supersede(long id, String unleashChange) {
    return pool.preparedQuery(SUPERSEDE)
        .execute(Tuple.of(id, unleashChange))
        .map(r -> r.rowCount() > 0);
  }

  /** Keeps the first replica's baseline, for replicas that apply the intervention later. */
  Future<Void> setBaseline(long id, FlagState baseline) {
    JsonObject json =
        new JsonObject()
            .put("exists", baseline.exists())
            .put("enabled", baseline.enabled())
            .put("variant", baseline.variant())
            .put("payload", baseline.payload());
    return pool.preparedQuery(SET_BASELINE).execute(Tuple.of(id, json)).mapEmpty();
  }

  public Future<Void> ack(long id, String instanceId) {
    return pool.preparedQuery(ACK).execute(Tuple.of(id, instanceId)).mapEmpty();
  }

  public Future<List<Ack>> acks(long id) {
    return pool.preparedQuery(ACKS)
        .execute(Tuple.of(id))
        .map(
            rows -> {
              List<Ack> out = new ArrayList<>();
              for (Row r : rows) {
                Number ms = (Number) r.getValue(1);
                out.add(
                    new Ack(
                        r.getString(0),
                        Duration.ofMillis(Math.max(0, Math.round(ms.doubleValue())))));
              }
              return out;
            });
  }

  /** Tells every replica to fetch its flags now. */
  public Future<Void> notifyRefresh(String fromInstance, long unleashEventId) {
    return pool.preparedQuery(NOTIFY)
        .execute(Tuple.of(new Refresh(fromInstance, unleashEventId).payload()))
        .mapEmpty();
  }

  /**
   * Tells every replica that Unleash event {@code event} switched a flag on or off, then to fetch
   * (replicas of the previous version ignore the first and act on the second).
   */
  Future<Void> notifySwitch(String fromInstance, UnleashEvent event) {
    String payload = SWITCH_PREFIX + event.toJson().put(SWITCH_FROM, fromInstance).encode();
    return pool.preparedQuery(NOTIFY)
        .execute(Tuple.of(payload))
        .compose(v -> notifyRefresh(fromInstance, event.id()));
  }

  static final String SWITCH_FROM = "fromInstance";

  /**
   * A refresh notification: {@code refresh:<instance>}, with {@code ;event=<id>} when the webhook
   * named the Unleash event (replicas of the previous version send and read the plain form).
   */
  record Refresh(String fromInstance, long unleashEventId) {
    private static final String EVENT = ";event=";

    String payload() {
      return REFRESH_PREFIX + fromInstance + (unleashEventId > 0 ? EVENT + unleashEventId : "");
    }

    static Refresh parse(String payload) {
      String rest = payload.substring(REFRESH_PREFIX.length());
      int at = rest.lastIndexOf(EVENT);
      if (at >= 0) {
        try {
          return new Refresh(
              rest.substring(0, at), Long.parseLong(rest.substring(at + EVENT.length())));
        } catch (NumberFormatException e) {
          // an instance id that contains the marker: the plain form
        }
      }
      return new Refresh(rest, 0);
    }
  }

  private static List<Intervention> toList(Iterable<Row> rows) {
    List<Intervention> out = new ArrayList<>();
    rows.forEach(r -> out.add(toIntervention(r)));
    return out;
  }

  private static Intervention toIntervention(Row r) {
    Integer rate = r.getInteger("rate_per_second");
    Long revision = r.getLong("unleash_revision");
    OffsetDateTime at = r.getOffsetDateTime("created_at");
    return new Intervention(
        r.getLong("id"),
        r.getString("source_id"),
        Action.of(r.getString("action")),
        Action.verdictOf(r.getString("enforces")),
        rate == null ? 0 : rate,
        r.getString("actor"),
        r.getString("reason"),
        r.getString("unleash_change"),
        at == null ? null : at.toInstant(),
        baseline(r.getValue("unleash_baseline")),
        r.getString("superseded_by"),
        revision == null ? 0 : revision);
  }

  private static FlagState baseline(Object value) {
    if (value == null) {
      return null;
    }
    JsonObject j = value instanceof JsonObject o ? o : new JsonObject(value.toString());
    return new FlagState(
        j.getBoolean("exists", false),
        j.getBoolean("enabled", false),
        j.getString("variant"),
        j.getString("payload"));
  }
}
