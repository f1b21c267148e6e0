package io.ordergate.intervention;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a webhook call and the refresh notification carry: the Unleash event's id, if any. */
class RefreshNotificationTest {

  @Test
  void theEventIdComesFromTheAddonsDefaultBody() {
    assertThat(
            UnleashWebhook.eventId(
                "{\"id\":42,\"type\":\"feature-environment-disabled\",\"featureName\":\"x\"}"))
        .isEqualTo(42);
  }

  @Test
  void aBodyWithoutAnIdStillRefreshes() {
    assertThat(UnleashWebhook.eventId("{}")).isZero();
    assertThat(UnleashWebhook.eventId("")).isZero();
    assertThat(UnleashWebhook.eventId(null)).isZero();
    assertThat(UnleashWebhook.eventId("flag x changed")).isZero();
    assertThat(UnleashWebhook.eventId("{\"id\":\"abc\"}")).isZero();
  }

  @Test
  void theNotificationRoundTrips() {
    InterventionStore.Refresh r = new InterventionStore.Refresh("replica-0", 42);
    assertThat(r.payload()).isEqualTo("refresh:replica-0;event=42");
    assertThat(InterventionStore.Refresh.parse(r.payload())).isEqualTo(r);
    assertThat(new InterventionStore.Refresh("replica-0", 0).payload())
        .isEqualTo("refresh:replica-0");
  }

  @Test
  void thePlainFormOfThePreviousVersionStillReads() {
    assertThat(InterventionStore.Refresh.parse("refresh:replica-1"))
        .isEqualTo(new InterventionStore.Refresh("replica-1", 0));
    assertThat(InterventionStore.Refresh.parse("refresh:odd;event=name"))
        .isEqualTo(new InterventionStore.Refresh("odd;event=name", 0));
  }
}
