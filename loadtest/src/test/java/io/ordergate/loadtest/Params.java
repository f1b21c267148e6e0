package io.ordergate.loadtest;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/** Every knob of the simulations is a -D system property; the defaults fit the demo on a laptop. */
final class Params {
  private Params() {}

  static String string(String name, String fallback) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  static double number(String name, double fallback) {
    String value = System.getProperty(name);
    try {
      return value == null || value.isBlank() ? fallback : Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be a number, not '" + value + "'");
    }
  }

  static Duration seconds(String name, double fallback) {
    return Duration.ofMillis(Math.round(number(name, fallback) * 1000));
  }

  /** The gateway's traffic URL, without /orders. */
  static String baseUrl() {
    return string("baseUrl", "http://127.0.0.1:8080");
  }

  static String environment() {
    return string("environment", "production");
  }

  /**
   * HTTP to the gateway as every simulation sends it: JSON, the environment, shared connections.
   */
  static HttpProtocolBuilder protocol() {
    return http.baseUrl(baseUrl())
        .contentTypeHeader("application/json")
        .header("X-Upstream-Environment", environment())
        .shareConnections()
        .disableWarmUp();
  }

  /** A 300-byte order, like loadtest/wrk/post-order.lua. */
  static final String ORDER =
      "{\"customer\":\"c-1029384756\",\"channel\":\"web\",\"currency\":\"EUR\","
          + "\"lines\":[{\"sku\":\"SKU-100234\",\"qty\":2,\"price\":\"19.99\"},{\"sku\":\"SKU-100777\",\"qty\":1,\"price\":\"5.49\"},"
          + "{\"sku\":\"SKU-200001\",\"qty\":3,\"price\":\"2.00\"}],\"shipping\":{\"method\":\"standard\",\"zip\":\"10115\",\"country\":\"DE\"},"
          + "\"note\":\"leave at the door please\"}";
}
