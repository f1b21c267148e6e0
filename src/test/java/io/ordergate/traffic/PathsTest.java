package io.ordergate.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/orders",
        "/orders/",
        "/orders/ord-1",
        "/orders/ord-1/lines",
        "/orders/a.b",
        "/orders/...",
        "/orders/ord%201"
      })
  void ordinaryPathsPass(String path) {
    assertThat(Paths.violation(path)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/orders/../admin",
        "/orders/..",
        "/orders/./x",
        "/orders/%2e%2e/admin",
        "/orders/%2E./admin",
        "/orders/x%2fy",
        "/orders/x%2F..",
        "/orders/x%5cy",
        "/orders\\..\\admin"
      })
  void pathsThatCouldEscapeOrdersAreRefused(String path) {
    assertThat(Paths.violation(path)).isNotNull();
  }
}
