package io.ordergate.metrics;

import java.util.List;

/**
 * The label values each known source gets a counter for at 0, before its first event, so that an
 * alert sees a 0 instead of no series. Kept short on purpose: every value here is one more series
 * per source (17 per source in all), and the request-latency histogram (about 70 series per source)
 * is left to appear with the source's first request.
 */
final class ZeroSeries {
  /**
   * Decisions of {@code ordergate_requests_total} that follow from the flag state or the order
   * system's health; the rarer slugs (bad input, timeouts) appear with their first request.
   */
  static final List<String> REQUEST_DECISIONS =
      List.of(
          "forwarded",
          "source-disabled",
          "source-throttled",
          "quarantined",
          "backend-circuit-open",
          "backend-saturated");

  /** Outcomes of {@code ordergate_quarantine_released_total}: the backend's status class. */
  static final List<String> RELEASE_OUTCOMES = List.of("2xx", "3xx", "4xx", "5xx", "in_doubt");

  /** Results of {@code ordergate_cleanup_orders_total}. */
  static final List<String> CLEANUP_RESULTS = List.of("cancelled", "gone", "failed");

  private ZeroSeries() {}
}
