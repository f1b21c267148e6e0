package io.ordergate.intervention;

import io.ordergate.ops.OpsRoutes;
import io.ordergate.problem.Failure;
import io.ordergate.problem.Problem;
import io.ordergate.problem.Problems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /ops/unleash-webhook}: Unleash's webhook addon says a flag changed; this replica
 * fetches its flags at once (until they reach the revision of the event announced) and tells the
 * others to do the same. A flag switched on or off in the gateway's environment is applied at once,
 * before Unleash publishes it ({@link Interventions#switchEverywhere}). It carries its own bearer
 * token ({@code ORDERGATE_WEBHOOK_TOKEN}), so Unleash never holds the ops token; mounted before the
 * ops token check.
 */
public final class UnleashWebhook implements OpsRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(UnleashWebhook.class);
  public static final String PATH = "/ops/unleash-webhook";
  private static final long BODY_LIMIT = 1024 * 1024;

  private final Optional<byte[]> tokenDigest;
  private final Interventions interventions;
  private final Problems problems;

  public UnleashWebhook(Optional<String> token, Interventions interventions, Problems problems) {
    this.tokenDigest = token.map(UnleashWebhook::sha256);
    this.interventions = interventions;
    this.problems = problems;
  }

  @Override
  public void mount(Router router) {
    // The token first, then the body (Unleash sends the event, a few kB): nobody else gets to make
    // this replica buffer anything.
    // Three routes: Vert.x wants a route's body handler before its other handlers.
    router.post(PATH).handler(this::authenticate);
    router.post(PATH).handler(BodyHandler.create().setBodyLimit(BODY_LIMIT));
    router.post(PATH).handler(this::handle);
  }

  private void authenticate(RoutingContext ctx) {
    if (tokenDigest.isEmpty()) {
      refuse(ctx, "this gateway has no ORDERGATE_WEBHOOK_TOKEN: the Unleash webhook is off");
      return;
    }
    String auth = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    String presented =
        auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
            ? auth.substring(7).trim()
            : "";
    // Digests first: equal lengths, so the comparison's time says nothing about the token.
    if (!MessageDigest.isEqual(sha256(presented), tokenDigest.get())) {
      refuse(ctx, "send 'Authorization: Bearer <ORDERGATE_WEBHOOK_TOKEN>'");
      return;
    }
    ctx.next();
  }

  /**
   * Replicas poll until their flags reach the announced event's revision (Unleash's revision is its
   * latest event id), else until anything newer arrives.
   */
  private void handle(RoutingContext ctx) {
    UnleashEvent event = UnleashEvent.parse(ctx.body().asString());
    if (event.switchesFlag()) {
      LOG.info(
          "Unleash webhook: {} in environment '{}'; applying it on every replica until Unleash publishes it",
          event.describe(),
          event.environment());
      interventions
          .switchEverywhere(event)
          .onFailure(e -> LOG.warn("Cannot tell the other replicas: {}", e.getMessage()));
    } else {
      LOG.info("Unleash webhook: {}; fetching flags on every replica", event.describe());
      interventions
          .refreshEverywhere(event.id())
          .onFailure(
              e -> LOG.warn("Cannot tell the other replicas to refresh: {}", e.getMessage()));
    }
    ctx.response()
        .setStatusCode(202)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("status", "refreshing flags on every replica").encode());
  }

  private void refuse(RoutingContext ctx, String detail) {
    problems.send(ctx.response(), new Problem(Failure.WEBHOOK_UNAUTHORIZED, detail, null, null));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
