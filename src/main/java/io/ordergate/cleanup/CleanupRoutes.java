package io.ordergate.cleanup;

import io.ordergate.ops.OpsProblems;
import io.ordergate.ops.OpsRoutes;
import io.ordergate.problem.Failure;
import io.ordergate.problem.GateException;
import io.ordergate.problem.Problems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The clean-up on the ops port. {@code POST /ops/cleanup} with {@code {source, since, until,
 * execute, rate}}: a dry run (200), or with {@code execute} the run started in the background (202
 * and its {@code Location}); {@code GET /ops/cleanup/{runId}}: its progress and report.
 */
public final class CleanupRoutes implements OpsRoutes {
  private static final String JSON = "application/json";
  private static final String PATH = "/ops/cleanup";

  private final Cleanups cleanups;
  private final OpsProblems problems;
  private final Clock clock;

  public CleanupRoutes(Cleanups cleanups, Problems problems, Clock clock) {
    this.cleanups = cleanups;
    this.problems = new OpsProblems(problems, Failure.CLEANUP_BAD_REQUEST);
    this.clock = clock;
  }

  @Override
  public void mount(Router router) {
    router.post(PATH).handler(this::cleanup);
    router.get(PATH + "/:runId").handler(this::report);
    router.post(PATH + "/:runId/stop").handler(this::stop);
  }

  private void cleanup(RoutingContext ctx) {
    JsonObject body;
    CleanupWindow window;
    JsonObject resolved;
    boolean execute;
    int rate;
    try {
      body = ctx.body().asJsonObject();
      if (body == null) {
        throw new IllegalArgumentException(
            "send a JSON object {\"source\", \"since\", \"until\", \"execute\", \"rate\"}");
      }
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      TimeArgs.Resolved since = TimeArgs.parse("since", required(body, "since"), now);
      TimeArgs.Resolved until =
          TimeArgs.parse(
              "until", body.getValue("until") == null ? "now" : body.getString("until"), now);
      window = new CleanupWindow(required(body, "source"), since.instant(), until.instant());
      resolved = new JsonObject().put("since", since.how()).put("until", until.how());
      execute = body.getBoolean("execute", false);
      rate = body.getInteger("rate", cleanups.settings().ratePerSecond());
    } catch (IllegalArgumentException | ClassCastException | DecodeException e) {
      problems.fail(ctx, e, null);
      return;
    }
    if (!execute) {
      cleanups
          .plan(window)
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  fail(
                      ctx,
                      Failure.INTERNAL,
                      "cannot read the audit table: " + ar.cause().getMessage());
                } else {
                  ctx.response()
                      .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                      .end(
                          ar.result()
                              .toJson()
                              .put("resolved", resolved)
                              .put("cancelRequest", cleanups.settings().cancelRequest().toString())
                              .encodePrettily());
                }
              });
      return;
    }
    cleanups
        .start(window, rate)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                Throwable e = ar.cause();
                problems.fail(
                    ctx,
                    e instanceof CleanupBusyException
                        ? new GateException(Failure.CLEANUP_RUNNING, e.getMessage())
                        : e,
                    "cannot start the clean-up");
                return;
              }
              CleanupExecution execution = ar.result();
              String location = PATH + "/" + execution.runId();
              ctx.response()
                  .setStatusCode(202)
                  .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                  .putHeader(HttpHeaders.LOCATION, location)
                  .end(
                      new JsonObject()
                          .put("runId", execution.runId())
                          .put("state", "running")
                          .put("source", window.source())
                          .put("since", window.since().toString())
                          .put("until", window.until().toString())
                          .put("resolved", resolved)
                          .put("toSend", execution.progress().total())
                          .put("ratePerSecond", rate)
                          .put("status", location)
                          .encodePrettily());
            });
  }

  private void stop(RoutingContext ctx) {
    Long runId = runId(ctx);
    if (runId == null) {
      return;
    }
    cleanups
        .stop(runId)
        .compose(
            stopping ->
                cleanups
                    .report(runId)
                    .map(
                        report -> {
                          if (report.isEmpty()) {
                            fail(ctx, Failure.CLEANUP_NOT_FOUND, "no clean-up run " + runId);
                          } else if (!stopping) {
                            fail(
                                ctx,
                                Failure.CLEANUP_NOT_RUNNING,
                                "clean-up run "
                                    + runId
                                    + " is "
                                    + report.get().state()
                                    + "; nothing to stop");
                          } else {
                            ctx.response()
                                .setStatusCode(202)
                                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                                .putHeader(HttpHeaders.LOCATION, PATH + "/" + runId)
                                .end(
                                    new JsonObject()
                                        .put("runId", runId)
                                        .put("state", "stopping")
                                        .put(
                                            "detail",
                                            "the process running it (instance "
                                                + report.get().instanceId()
                                                + ") stops after the cancels in flight, within about a second")
                                        .encodePrettily());
                          }
                          return null;
                        }))
        .onFailure(
            e -> fail(ctx, Failure.INTERNAL, "cannot stop the clean-up run: " + e.getMessage()));
  }

  /** The run id in the path, or null once a 404 has been sent. */
  private Long runId(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("runId"));
    } catch (NumberFormatException e) {
      fail(
          ctx,
          Failure.CLEANUP_NOT_FOUND,
          "no clean-up run '" + ctx.pathParam("runId") + "': run ids are numbers");
      return null;
    }
  }

  private void report(RoutingContext ctx) {
    Long runId = runId(ctx);
    if (runId == null) {
      return;
    }
    cleanups
        .report(runId)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(
                    ctx,
                    Failure.INTERNAL,
                    "cannot read the clean-up run: " + ar.cause().getMessage());
              } else if (ar.result().isEmpty()) {
                fail(ctx, Failure.CLEANUP_NOT_FOUND, "no clean-up run " + runId);
              } else {
                JsonObject json = ar.result().get().toJson();
                cleanups
                    .running(runId)
                    .ifPresent(
                        e -> {
                          CleanupExecution.Progress p = e.progress();
                          json.put(
                              "progress",
                              new JsonObject()
                                  .put("sent", p.done())
                                  .put("toSend", p.total())
                                  .put("perSecond", Math.round(p.perSecond() * 10) / 10.0)
                                  .put("etaSeconds", p.eta() == null ? null : p.eta().toSeconds()));
                        });
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(json.encodePrettily());
              }
            });
  }

  private static String required(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("'" + field + "' is required (a string)");
    }
    return s;
  }

  private void fail(RoutingContext ctx, Failure failure, String detail) {
    problems.fail(ctx, failure, detail);
  }
}
