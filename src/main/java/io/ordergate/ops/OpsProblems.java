package io.ordergate.ops;

import io.ordergate.problem.Failure;
import io.ordergate.problem.GateException;
import io.ordergate.problem.Problem;
import io.ordergate.problem.Problems;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;

/**
 * The one error mapping of the ops endpoints. A mistake in the request (bad argument, wrong JSON)
 * becomes the route family's own "bad request" problem type ({@code bad-ops-request} for the
 * quarantine, {@code bad-cleanup-request} for the clean-up: both are contract); a typed failure
 * keeps its type; anything else is an internal error.
 */
public final class OpsProblems {
  private final Problems problems;
  private final Failure badRequest;

  public OpsProblems(Problems problems, Failure badRequest) {
    this.problems = problems;
    this.badRequest = badRequest;
  }

  /** What {@code e} means for the client. {@code doing}: said of an internal error, or null. */
  public void fail(RoutingContext ctx, Throwable e, String doing) {
    if (e instanceof GateException g) {
      fail(ctx, g.failure(), g.getMessage());
    } else if (e instanceof IllegalArgumentException
        || e instanceof ClassCastException
        || e instanceof DecodeException) {
      fail(ctx, badRequest, e.getMessage());
    } else if (doing != null) {
      fail(ctx, Failure.INTERNAL, doing + ": " + e.getMessage());
    } else {
      GateException g = GateException.of(e);
      fail(ctx, g.failure(), g.getMessage());
    }
  }

  public void fail(RoutingContext ctx, Failure failure, String detail) {
    problems.send(ctx.response(), new Problem(failure, detail, null, null));
  }
}
