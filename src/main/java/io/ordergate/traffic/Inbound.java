package io.ordergate.traffic;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.util.List;

/**
 * What the admission checks read of a request: its line and headers, nothing that can answer it.
 * {@link Exchange} in the gateway, a plain value in tests.
 */
interface Inbound {
  HttpMethod method();

  HttpVersion version();

  /** The raw path, never null. */
  String path();

  /** The first value of the header, or null. */
  String header(CharSequence name);

  /** Every value of the header, in order. */
  List<String> headers(CharSequence name);

  /** How many times the header is given: {@code headers(name).size()}. */
  default int count(CharSequence name) {
    return headers(name).size();
  }

  /** The raw query string, or null. */
  default String query() {
    return null;
  }

  /** The client's address as the connection shows it, or null. */
  default String remoteAddress() {
    return null;
  }
}
