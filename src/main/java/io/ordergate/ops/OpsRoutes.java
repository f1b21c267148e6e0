package io.ordergate.ops;

import io.vertx.ext.web.Router;

/**
 * Endpoints a feature adds under {@code /ops/} on the ops port. They are mounted after the bearer
 * token check, so a handler never sees an unauthenticated request.
 */
@FunctionalInterface
public interface OpsRoutes {
  void mount(Router router);
}
