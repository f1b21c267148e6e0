package io.ordergate.cli;

import io.ordergate.app.Await;
import io.ordergate.app.Gateway;
import io.ordergate.config.TransportChoice;
import io.ordergate.demo.DemoOrderSystem;
import io.ordergate.runtime.Transports;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo order system on its own, in its own process: a backend for benchmarks, so that the
 * gateway's CPU can be measured apart from the backend's (see loadtest/bench).
 */
@Command(
    name = "order-system",
    mixinStandardHelpOptions = true,
    description = {
      "Run only the demo order system (the stand-in backend: 201 {\"id\", \"source\", \"requestId\"} "
          + "for POST /orders; GET /orders counts what it received by source), in its own process, until Ctrl-C/SIGTERM.",
      "Point a demo at it with 'demo --backend-url http://127.0.0.1:<port>', or a gateway with ORDERGATE_BACKEND_URL."
    },
    footer = {"", "Example:", "  java -jar order-gate.jar order-system --port 18070"})
public final class OrderSystemCommand implements Callable<Integer> {
  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8070",
      description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--event-loops",
      description = "Server instances, one per event loop (default: the number of CPUs).")
  Integer eventLoops;

  @Option(
      names = "--transport",
      description =
          "Network transport: auto, io_uring, epoll or nio (default: ORDERGATE_TRANSPORT, else auto"
              + " = the best available), so a benchmark's backend runs on the same transport for"
              + " every row.")
  String transport;

  @Override
  public Integer call() {
    int instances = eventLoops == null ? Runtime.getRuntime().availableProcessors() : eventLoops;
    if (instances < 1 || port < 0 || port > 65535) {
      throw new CliFailure(
          "order-system: --event-loops must be at least 1 and --port within 0-65535");
    }
    Vertx vertx =
        transport == null
            ? Gateway.newVertx()
            : Transports.newVertx(
                TransportChoice.named(transport)
                    .orElseThrow(
                        () ->
                            new CliFailure(
                                "order-system: --transport must be one of auto, io_uring, epoll,"
                                    + " nio, was '"
                                    + transport
                                    + "'")));
    DemoOrderSystem.Store store = new DemoOrderSystem.Store();
    try {
      Await.result(
          vertx.deployVerticle(
              () -> new DemoOrderSystem(host, port, store),
              new DeploymentOptions().setInstances(instances)),
          30);
    } catch (RuntimeException e) {
      Await.result(vertx.close(), 30);
      throw new CliFailure(
          "order-system: cannot listen on " + host + ":" + port + ": " + e.getMessage());
    }
    System.out.println(
        "Demo order system listening on http://"
            + host
            + ":"
            + port
            + "/orders ("
            + instances
            + " event loops, "
            + Transports.name(vertx)
            + ")");
    System.out.flush();
    Lifecycle.stopOnSignal("order system", () -> Await.result(vertx.close(), 30));
    return 0;
  }
}
