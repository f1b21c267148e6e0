package io.ordergate.intervention;

import io.ordergate.ops.OpsRoutes;
import io.ordergate.problem.Failure;
import io.ordergate.problem.Problem;
import io.ordergate.problem.Problems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code GET /ops/replicas}: the fleet as the replica registry has it, live and gone. */
public final class ReplicaRoutes implements OpsRoutes {
  private final ReplicaStore replicas;
  private final Problems problems;

  public ReplicaRoutes(ReplicaStore replicas, Problems problems) {
    this.replicas = replicas;
    this.problems = problems;
  }

  @Override
  public void mount(Router router) {
    router
        .get("/ops/replicas")
        .handler(
            ctx ->
                replicas
                    .list()
                    .onSuccess(
                        all -> {
                          JsonArray out = new JsonArray();
                          all.forEach(r -> out.add(r.toJson()));
                          ctx.response()
                              .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                              .end(
                                  new JsonObject()
                                      .put("live", all.stream().filter(Replica::live).count())
                                      .put("goneAfterMs", ReplicaStore.GONE_AFTER.toMillis())
                                      .put("replicas", out)
                                      .encodePrettily());
                        })
                    .onFailure(
                        e ->
                            problems.send(
                                ctx.response(),
                                new Problem(
                                    Failure.REPLICAS_UNAVAILABLE, e.getMessage(), null, null))));
  }
}
