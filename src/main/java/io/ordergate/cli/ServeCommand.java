package io.ordergate.cli;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.config.Env;
import io.ordergate.config.GatewayConfig;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** Runs the gateway until SIGTERM or Ctrl-C, then drains and exits. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run the gateway (the default). Configured from ORDERGATE_* and UNLEASH_* environment variables.")
public final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Override
  public Integer call() {
    GatewayConfig config = GatewayConfig.from(Env.system());
    LOG.info("Starting Order Gate: {}, {}", config.unleash(), config.database());
    Vertx vertx = Gateway.newVertx();
    Gateway gateway;
    try {
      gateway = Await.result(Gateway.start(vertx, config, Clock.systemUTC()), 120);
    } catch (RuntimeException e) {
      Await.result(vertx.close(), 30);
      throw new CliFailure("could not start: " + e.getMessage());
    }
    Lifecycle.stopOnSignal(
        "gateway",
        () -> {
          Await.result(gateway.stop(), config.shutdownTimeout().toSeconds() + 30);
          Await.result(vertx.close(), 30);
          // Drained and flushed: a normal end, so exit 0 rather than the JVM's 143 for "ended by
          // SIGTERM",
          // which Kubernetes reports as reason Error on every rollout. `serve` registers no other
          // hook that
          // halting could cut short. A failed stop throws before this and keeps the 143.
          System.out.flush();
          System.err.flush();
          Runtime.getRuntime().halt(0);
        });
    return 0;
  }
}
