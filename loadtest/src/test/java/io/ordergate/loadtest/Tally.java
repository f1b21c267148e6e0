package io.ordergate.loadtest;

import io.gatling.javaapi.core.Session;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** Answers counted by kind ("503 backend-saturated", "no answer"), from many virtual users. */
final class Tally {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  /**
   * The kind of answer a request got: its status and, for a problem document, its type's slug
   * (saved as {@code status} and {@code slug} by the request's checks); "no answer" without one.
   */
  static String kind(Session session) {
    if (!session.contains("status")) {
      return "no answer";
    }
    String slug = session.contains("slug") ? session.getString("slug") : "";
    return session.getInt("status") + (slug.isEmpty() ? "" : " " + slug);
  }

  void add(String kind) {
    counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** "503 backend-saturated: 12; no answer: 3", sorted by kind; empty without counts. */
  String describe() {
    return new TreeMap<>(counts)
        .entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue().sum())
            .collect(Collectors.joining("; "));
  }
}
