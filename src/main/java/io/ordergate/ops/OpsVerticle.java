package io.ordergate.ops;

import io.ordergate.decision.DecisionTable;
import io.ordergate.decision.Decisions;
import io.ordergate.decision.SourceDecision;
import io.ordergate.decision.Verdict;
import io.ordergate.flags.FlagStatus;
import io.ordergate.flags.UnleashFlags;
import io.ordergate.metrics.GateMetrics;
import io.ordergate.problem.Failure;
import io.ordergate.problem.Problems;
import io.ordergate.source.Source;
import io.ordergate.source.SourceRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** The ops port: health, readiness, Prometheus metrics and the token-protected {@code /ops} API. */
public final class OpsVerticle extends VerticleBase {
  private static final String JSON = "application/json";

  private final String host;
  private final int port;
  private final byte[] opsToken;
  private final Readiness readiness;
  private final GateMetrics metrics;
  private final SourceRegistry registry;
  private final Decisions decisions;
  private final UnleashFlags flags;
  private final OpsProblems errors;
  private final Clock clock;
  private final List<OpsRoutes> features;
  private final List<OpsRoutes> ownAuthentication;
  private HttpServer server;

  public OpsVerticle(
      String host,
      int port,
      String opsToken,
      Readiness readiness,
      GateMetrics metrics,
      SourceRegistry registry,
      Decisions decisions,
      UnleashFlags flags,
      Problems problems,
      Clock clock,
      List<OpsRoutes> features,
      List<OpsRoutes> ownAuthentication) {
    this.host = host;
    this.port = port;
    this.opsToken = opsToken.getBytes(StandardCharsets.UTF_8);
    this.readiness = readiness;
    this.metrics = metrics;
    this.registry = registry;
    this.decisions = decisions;
    this.flags = flags;
    this.errors = new OpsProblems(problems, Failure.BAD_OPS_REQUEST);
    this.clock = clock;
    this.features = List.copyOf(features);
    this.ownAuthentication = List.copyOf(ownAuthentication);
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "up")));
    router.get("/ready").handler(this::ready);
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    // Endpoints called by other systems with a token of their own (the Unleash webhook).
    ownAuthentication.forEach(f -> f.mount(router));
    router.route("/ops/*").handler(this::authorize);
    router.get("/ops/sources").handler(this::sources);
    router.get("/ops/flags").handler(this::flagStatus);
    router
        .post("/ops/flags/refresh")
        .handler(
            ctx -> {
              flags.refreshNow();
              ctx.response()
                  .setStatusCode(202)
                  .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                  .end(new JsonObject().put("status", "refresh requested").encode());
            });
    router.route("/ops/*").handler(BodyHandler.create().setBodyLimit(64 * 1024));
    features.forEach(f -> f.mount(router));
    router
        .route()
        .last()
        .handler(
            ctx ->
                errors.fail(
                    ctx,
                    Failure.NOT_FOUND,
                    "no ops endpoint " + ctx.request().method() + " " + ctx.request().path()));
    // Probes and Prometheus speak HTTP/1.1; cleartext HTTP/2 upgrades only add a way to get stuck.
    server =
        vertx.createHttpServer(
            new HttpServerOptions().setHost(host).setPort(port).setHttp2ClearTextEnabled(false));
    return server.requestHandler(router).listen();
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void ready(RoutingContext ctx) {
    ctx.response()
        .setStatusCode(readiness.ready() ? 200 : 503)
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .end(readiness.describe().put("flags", flagJson()).encode());
  }

  private void authorize(RoutingContext ctx) {
    String auth = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    byte[] presented =
        auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
            ? auth.substring(7).trim().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    if (MessageDigest.isEqual(presented, opsToken)) {
      ctx.next();
    } else {
      errors.fail(
          ctx, Failure.OPS_UNAUTHORIZED, "send 'Authorization: Bearer <ORDERGATE_OPS_TOKEN>'");
    }
  }

  private void sources(RoutingContext ctx) {
    DecisionTable table = decisions.current();
    JsonArray out = new JsonArray();
    registry.all().stream()
        .sorted(Comparator.comparing(Source::id))
        .forEach(
            s -> {
              SourceDecision d = table.forSource(s.id());
              long seen = metrics.lastSeen(s.id());
              out.add(
                  new JsonObject()
                      .put("id", s.id())
                      .put("environment", s.environment())
                      .put("decision", d.verdict().name().toLowerCase())
                      .put("reason", d.reason())
                      .put("flag", decisions.policy().flagFor(s.id()))
                      .put("variant", d.variant())
                      .put(
                          "ratePerSecond",
                          d.verdict() == Verdict.THROTTLE ? d.ratePerSecond() : null)
                      .put("decisionRevision", table.revision())
                      // the old name of decisionRevision, kept for existing dashboards
                      .put("flagRevision", table.revision())
                      .put("cause", table.causes().get(s.id()))
                      .put("unleash", d.unleash() == null ? null : d.unleash().describe())
                      .put(
                          "intervention",
                          d.overrule() == null
                              ? null
                              : new JsonObject()
                                  .put("id", d.overrule().interventionId())
                                  .put("summary", d.overrule().summary()))
                      .put(
                          "counters",
                          new JsonObject(new java.util.LinkedHashMap<>(metrics.counts(s.id()))))
                      .put("lastSeen", seen == 0 ? null : Instant.ofEpochMilli(seen).toString())
                      .put(
                          "keyRotatedAt", s.rotatedAt() == null ? null : s.rotatedAt().toString()));
            });
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(out.encodePrettily());
  }

  private void flagStatus(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(flagJson().encodePrettily());
  }

  private JsonObject flagJson() {
    FlagStatus s = flags.status();
    return new JsonObject()
        .put("origin", s.origin().label())
        .put("ageSeconds", s.age(clock.instant()).toMillis() / 1000.0)
        .put("changedAt", s.changedAt().toString())
        .put("revision", decisions.current().revision())
        .put("decisionRevision", decisions.current().revision())
        .put("reachable", s.reachable())
        .put("failedPolls", s.failedPolls())
        .put("lastError", s.lastError());
  }
}
