package io.ordergate.demo;

import io.ordergate.config.Env;
import io.ordergate.config.FloodSettings;
import io.ordergate.config.FloodSettings.TripMode;
import java.util.Map;

/**
 * The "demo is running" text: where everything listens, the keys and tokens, and the commands to
 * try. Apart from {@link Demo} because it is long, only prints, and changes for other reasons than
 * the start-up order does.
 */
final class DemoBanner {
  private DemoBanner() {}

  static void print(boolean unleash, Map<String, String> env, int replicas) {
    String nl = System.lineSeparator();
    StringBuilder b = new StringBuilder(nl);
    b.append(
            unleash
                ? "Order Gate demo is running, enforcing the flags in Unleash. Ctrl-C stops everything."
                : "Order Gate demo is running. Ctrl-C stops everything.")
        .append(nl)
        .append(nl);
    b.append("  Gateway, traffic  http://127.0.0.1:8080/orders").append(nl);
    b.append("  Gateway, ops      http://127.0.0.1:8090/ready   /metrics   /ops/sources (Bearer ")
        .append(Demo.OPS_TOKEN)
        .append(')')
        .append(nl);
    if (replicas > 1) {
      b.append("  Replicas          ")
          .append(replicas)
          .append(": replica i on traffic 808i and ops 809i (demo-0 .. demo-")
          .append(replicas - 1)
          .append("); see them with /ops/replicas or status")
          .append(nl);
    }
    b.append("  Order system      ")
        .append(env.get("ORDERGATE_BACKEND_URL"))
        .append("/orders  (GET shows orders received by source)")
        .append(nl);
    if (unleash) {
      b.append("  Unleash UI        http://127.0.0.1:4242  (login admin / unleash4all)").append(nl);
      b.append("  Unleash tokens    admin ")
          .append(UnleashServer.ADMIN_TOKEN)
          .append("   client ")
          .append(UnleashServer.CLIENT_TOKEN)
          .append(nl);
      b.append("  Flag polling      every ")
          .append(env.get("UNLEASH_FETCH_INTERVAL_MS"))
          .append(" ms (UNLEASH_FETCH_INTERVAL_MS)")
          .append(nl);
    } else {
      b.append("  Flags file        ")
          .append(env.get("UNLEASH_FLAGS_FILE"))
          .append("  (re-read every ")
          .append(env.get("UNLEASH_FETCH_INTERVAL_MS"))
          .append(" ms)")
          .append(nl);
    }
    b.append(nl).append("  Sources (environment ").append(Demo.ENVIRONMENT).append("):");
    Demo.SOURCES.forEach(s -> b.append("  ").append(s).append('=').append(Demo.keyOf(s)));
    b.append(nl).append(nl).append("Send an order:").append(nl);
    b.append(
            "  curl -i -X POST http://127.0.0.1:8080/orders -H 'Authorization: Bearer demo-perftest-key' \\")
        .append(nl);
    b.append(
            "       -H 'X-Upstream-Environment: production' -H 'Content-Type: application/json' -d '{\"sku\":\"A-1\",\"qty\":1}'")
        .append(nl);
    b.append(nl).append(autoTrip(FloodSettings.from(new Env(env)))).append(nl);
    b.append(nl).append("Kill the perftest source, then revive it:").append(nl);
    if (unleash) {
      b.append("  export UNLEASH_ADMIN_URL=http://127.0.0.1:4242 UNLEASH_ADMIN_TOKEN='")
          .append(UnleashServer.ADMIN_TOKEN)
          .append('\'')
          .append(nl);
      b.append("  export ORDERGATE_DATABASE_URL=")
          .append(env.get("ORDERGATE_DATABASE_URL"))
          .append("   # so kill waits until every replica confirms")
          .append(nl);
      b.append("  java -jar target/order-gate.jar kill perftest --reason 'demo'").append(nl);
      b.append("  java -jar target/order-gate.jar revive perftest").append(nl);
      b.append(
              "  (or in the UI: http://127.0.0.1:4242/projects/default/features/order-source.perftest"
                  + " - switch 'production' off, then confirm with Disable Environment)")
          .append(nl);
      b.append(nl)
          .append("Hold its orders instead (202, stored), or cap it; revive undoes either:")
          .append(nl);
      b.append("  java -jar target/order-gate.jar hold perftest").append(nl);
      b.append("  java -jar target/order-gate.jar throttle perftest --rate 5").append(nl);
    } else {
      b.append("  set \"enabled\": false for order-source.perftest in ")
          .append(env.get("UNLEASH_FLAGS_FILE"))
          .append(nl);
    }
    b.append(nl)
        .append("Watch: curl -s -H 'Authorization: Bearer ")
        .append(Demo.OPS_TOKEN)
        .append("' http://127.0.0.1:8090/ops/sources")
        .append(nl);
    b.append(nl)
        .append(
            "Sources, held orders and clean-ups from the command line (sources, quarantine list|release|discard, cleanup):")
        .append(nl);
    b.append("  export ORDERGATE_DATABASE_URL=")
        .append(env.get("ORDERGATE_DATABASE_URL"))
        .append(" ORDERGATE_BACKEND_URL=")
        .append(env.get("ORDERGATE_BACKEND_URL"))
        .append(nl);
    b.append(
            "  java -jar target/order-gate.jar quarantine release --source perftest --reason 'demo'")
        .append(nl);
    b.append("  java -jar target/order-gate.jar cleanup --source perftest --since 1h").append(nl);
    System.out.println(b);
    System.out.flush();
  }

  /**
   * What an auto-trip of the demo really does: under ORDERGATE_TRIP_ACTION and, with
   * ORDERGATE_TRIP_MODE=shadow, nothing but counting what it would have done.
   */
  static String autoTrip(FloodSettings flood) {
    String when =
        " when the fleet gets over "
            + Demo.PERFTEST_TRIP_RATE
            + " writes/s of it for 2 s (twice that within one second: at once), the others over "
            + Demo.TRIP_RATE
            + " (sources set <id> --trip-rate N|off).";
    if (flood.tripMode() == TripMode.SHADOW) {
      return "Auto-trip rehearsal (ORDERGATE_TRIP_MODE=shadow): perftest keeps flowing"
          + when
          + " The trip it would have done (would-"
          + flood.tripAction().label()
          + ") is counted, audited and shown by status.";
    }
    String effect =
        switch (flood.tripAction()) {
          case HOLD -> "is held (202, stored in quarantine)";
          case THROTTLE -> "is throttled to its trip rate per replica (429 above it)";
          case KILL -> "is refused (503)";
        };
    return "Auto-trip: perftest " + effect + when;
  }
}
