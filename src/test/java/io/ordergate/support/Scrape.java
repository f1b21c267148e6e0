package io.ordergate.support;

import java.net.URI;
import java.net.http.HttpRequest;

/** Reads series from a gateway's Prometheus page. */
public final class Scrape {
  private Scrape() {}

  public static String page(String opsUrl) {
    return GatewayHarness.send(HttpRequest.newBuilder(URI.create(opsUrl + "/metrics"))).body();
  }

  /** The sum of every series of the metric {@code name} (all label sets). */
  public static double sum(String page, String name) {
    double total = 0;
    for (String line : page.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
