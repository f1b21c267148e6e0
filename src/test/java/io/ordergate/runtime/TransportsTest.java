package io.ordergate.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.config.TransportChoice;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

class TransportsTest {

  @Test
  void autoTakesTheBestAvailableAndNioIsAlwaysThere() {
    assertThat(Transports.available()).endsWith("nio");
    assertThat(Transports.select(TransportChoice.AUTO).name())
        .isEqualTo(Transports.available().get(0));
  }

  @Test
  void reportsTheTransportAVertxRunsOn() {
    Vertx vertx = Transports.newVertx(TransportChoice.NIO);
    try {
      assertThat(Transports.name(vertx)).isEqualTo("nio");
    } finally {
      vertx.close();
    }
    Vertx plain = Vertx.vertx();
    try {
      assertThat(Transports.name(plain)).isEqualTo("nio");
    } finally {
      plain.close();
    }
  }
}
