package io.ordergate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeSettingsTest {

  @Test
  void defaultsToTheBestTransportAndNoStrictThreadMode() {
    RuntimeSettings settings = RuntimeSettings.from(new Env(Map.of()));
    assertThat(settings.transport()).isEqualTo(TransportChoice.AUTO);
    assertThat(settings.strictThreadMode()).isFalse();
  }

  @Test
  void readsEachTransportByName() {
    for (TransportChoice choice : TransportChoice.values()) {
      Env env = new Env(Map.of("ORDERGATE_TRANSPORT", " " + choice.label().toUpperCase() + " "));
      assertThat(RuntimeSettings.from(env).transport()).isEqualTo(choice);
    }
    assertThat(
            RuntimeSettings.from(new Env(Map.of("ORDERGATE_STRICT_THREAD_MODE", "true")))
                .strictThreadMode())
        .isTrue();
  }

  @Test
  void namesTheVariableWhenAValueIsWrong() {
    assertThatThrownBy(() -> RuntimeSettings.from(new Env(Map.of("ORDERGATE_TRANSPORT", "kqueue"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ORDERGATE_TRANSPORT")
        .hasMessageContaining("kqueue");
    assertThatThrownBy(
            () -> RuntimeSettings.from(new Env(Map.of("ORDERGATE_STRICT_THREAD_MODE", "yes"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ORDERGATE_STRICT_THREAD_MODE");
  }
}
