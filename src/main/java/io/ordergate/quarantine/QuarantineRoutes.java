package io.ordergate.quarantine;

import io.ordergate.decision.Decisions;
import io.ordergate.decision.Verdict;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.ops.OpsProblems;
import io.ordergate.ops.OpsRoutes;
import io.ordergate.problem.Failure;
import io.ordergate.problem.Problems;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The quarantine ops API: list held orders, release them in the background, discard them, follow
 * and stop release jobs.
 */
public final class QuarantineRoutes implements OpsRoutes {
  static final String BASE = "/ops/quarantine";
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1_000;

  private final QuarantineStore store;
  private final Releases releases;
  private final Decisions decisions;
  private final GateMetrics metrics;
  private final OpsProblems problems;
  private final Clock clock;

  public QuarantineRoutes(
      QuarantineStore store,
      Releases releases,
      Decisions decisions,
      GateMetrics metrics,
      Problems problems,
      Clock clock) {
    this.store = store;
    this.releases = releases;
    this.decisions = decisions;
    this.metrics = metrics;
    this.problems = new OpsProblems(problems, Failure.BAD_OPS_REQUEST);
    this.clock = clock;
  }

  @Override
  public void mount(Router router) {
    router.get(BASE).handler(this::list);
    router.post(BASE + "/release").handler(this::release);
    router.post(BASE + "/discard").handler(this::discard);
    router
        .get(BASE + "/jobs")
        .handler(
            ctx -> {
              JsonArray out = new JsonArray();
              releases.all().forEach(r -> out.add(json(r.progress())));
              ctx.json(new JsonObject().put("jobs", out));
            });
    router
        .get(BASE + "/jobs/:id")
        .handler(ctx -> withJob(ctx, job -> ctx.json(json(job.progress()))));
    router
        .post(BASE + "/jobs/:id/stop")
        .handler(
            ctx ->
                withJob(
                    ctx,
                    job -> {
                      job.stop("stopped through the ops API");
                      ctx.response().setStatusCode(202);
                      ctx.json(json(job.progress()));
                    }));
  }

  private void list(RoutingContext ctx) {
    MultiMap q = ctx.queryParams();
    String source;
    String state;
    Instant since;
    long after;
    int limit;
    try {
      source = Selection.checkSource(q.get("source"));
      state = QuarantineStore.checkState(q.get("state"));
      since = q.get("since") == null ? null : Instant.parse(q.get("since"));
      after = QuarantineRequests.number(q.get("after"), 0, 0, Long.MAX_VALUE, "after");
      limit = (int) QuarantineRequests.number(q.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT, "limit");
    } catch (DateTimeParseException e) {
      fail(
          ctx,
          new IllegalArgumentException(
              "since must be an ISO-8601 instant such as 2026-11-28T01:00:00Z, was '"
                  + q.get("since")
                  + "'"));
      return;
    } catch (IllegalArgumentException e) {
      fail(ctx, e);
      return;
    }
    Future.all(store.list(source, state, since, after, limit), store.counts(source))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
              }
              List<QuarantinedOrder> orders = ar.result().resultAt(0);
              Map<String, Map<String, Long>> counts = ar.result().resultAt(1);
              JsonArray out = new JsonArray();
              orders.forEach(o -> out.add(o.toJson()));
              JsonObject countJson = new JsonObject();
              counts.forEach(
                  (s, byState) ->
                      countJson.put(s, new JsonObject(new java.util.LinkedHashMap<>(byState))));
              ctx.json(
                  new JsonObject()
                      .put("order", "oldest first (by id, which is arrival order)")
                      .put("orders", out)
                      .put(
                          "nextAfter",
                          orders.size() == limit ? orders.get(orders.size() - 1).id() : null)
                      .put("counts", countJson));
            });
  }

  private void release(RoutingContext ctx) {
    JsonObject body;
    Selection selection;
    Integer rate;
    try {
      body = QuarantineRequests.bodyOf(ctx);
      selection = QuarantineRequests.selection(body);
      rate = QuarantineRequests.integer(body, "ratePerSecond");
    } catch (IllegalArgumentException e) {
      fail(ctx, e);
      return;
    }
    releases
        .start(selection, rate)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
              }
              Release job = ar.result();
              String location = BASE + "/jobs/" + job.id();
              ctx.response().setStatusCode(202).putHeader(HttpHeaders.LOCATION, location);
              JsonObject out = json(job.progress()).put("location", location);
              if (job.progress().total() == 0) {
                out.put(
                    "nothing",
                    selection.byIds()
                        ? "none of these ids is held or in_doubt for this selection: nothing to send"
                        : "no order of '" + selection.source() + "' is held: nothing to send");
              }
              ctx.json(withNote(out, job.source()));
            });
  }

  private void discard(RoutingContext ctx) {
    Selection selection;
    try {
      selection = QuarantineRequests.selection(QuarantineRequests.bodyOf(ctx));
    } catch (IllegalArgumentException e) {
      fail(ctx, e);
      return;
    }
    store
        .discard(selection, clock.instant())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
              }
              ar.result().forEach(metrics::quarantineDiscarded);
              long total = ar.result().values().stream().mapToLong(Long::longValue).sum();
              JsonObject out =
                  new JsonObject()
                      .put("discarded", total)
                      .put("bySource", new JsonObject(new java.util.LinkedHashMap<>(ar.result())))
                      .put("reason", selection.reason());
              ctx.json(selection.source() == null ? out : withNote(out, selection.source()));
            });
  }

  /** Says so when new orders of the source are still being held while ops act on the old ones. */
  private JsonObject withNote(JsonObject out, String source) {
    if (decisions.current().forSource(source).verdict() == Verdict.QUARANTINE) {
      out.put(
          "note",
          "source '"
              + source
              + "' is still quarantined: its new orders keep being held. "
              + "To forward them again: revive "
              + source
              + " (CLI), or remove the variant 'quarantine' from its flag.");
    }
    return out;
  }

  private void withJob(RoutingContext ctx, java.util.function.Consumer<Release> action) {
    Release job = releases.get(ctx.pathParam("id"));
    if (job == null) {
      problems.fail(
          ctx,
          Failure.QUARANTINE_JOB_NOT_FOUND,
          "no release job '"
              + ctx.pathParam("id")
              + "' on this gateway; a job is known only on the replica that started it (its Location)");
    } else {
      action.accept(job);
    }
  }

  static JsonObject json(Release.Progress p) {
    return new JsonObject()
        .put("id", p.id())
        .put("source", p.source())
        .put("state", p.state().name().toLowerCase())
        .put("reason", p.reason())
        .put("ratePerSecond", p.ratePerSecond())
        .put("total", p.total())
        .put("sent", p.sent())
        .put("released", p.released())
        .put(
            "releasedByStatus", new JsonObject(new java.util.LinkedHashMap<>(p.releasedByStatus())))
        .put("inDoubt", p.inDoubt())
        .put("failed", p.failed())
        .put("remaining", p.remaining())
        .put("interruptedFound", p.interruptedFound())
        .put("stopReason", p.stopReason())
        .put("startedAt", p.startedAt().toString())
        .put("finishedAt", p.finishedAt() == null ? null : p.finishedAt().toString());
  }

  private void fail(RoutingContext ctx, Throwable e) {
    problems.fail(ctx, e, null);
  }
}
