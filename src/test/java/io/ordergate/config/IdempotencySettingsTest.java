package io.ordergate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdempotencySettingsTest {

  @Test
  void aKeyIsNeverTakenOverWhileItsFirstRequestCanStillBeWaitingOnTheOrderSystem() {
    Duration backendTimeout = Duration.ofSeconds(10);

    IdempotencySettings settings =
        IdempotencySettings.from(new Env(Map.of(IdempotencySettings.TTL, "5s")), backendTimeout);

    assertThat(settings.ttl()).isEqualTo(Duration.ofSeconds(5));
    // A repeat after the lease takes the key over and is forwarded: while the first may still be
    // running, that is a second order.
    assertThat(settings.inFlightLease()).isGreaterThan(backendTimeout);
  }
}
