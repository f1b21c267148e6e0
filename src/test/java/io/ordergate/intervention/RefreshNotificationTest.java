package io.ordergate.intervention;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a webhook call and the refresh notification carry: the Unleash event's id, if any. */
class RefreshNotificationTest {

  @Test
  void theEventComesFromTheAddonsDefaultBody() {
    UnleashEvent e =
        UnleashEvent.parse(
            "{\"id\":42,\"type\":\"feature-environment-disabled\","
                + "\"featureName\":\"order-source.mobile\",\"createdBy\":\"admin\","
                + "\"environment\":\"production\"}");
    assertThat(e)
        .isEqualTo(
            new UnleashEvent(
                42, "feature-environment-disabled", "order-source.mobile", "production", "admin"));
    assertThat(e.describe())
        .isEqualTo("event #42 feature-environment-disabled of order-source.mobile by admin");
  }

  @Test
  void aBodyWithoutAnEventStillRefreshes() {
    assertThat(UnleashEvent.parse("{}")).isEqualTo(UnleashEvent.UNNAMED);
    assertThat(UnleashEvent.parse("")).isEqualTo(UnleashEvent.UNNAMED);
    assertThat(UnleashEvent.parse(null)).isEqualTo(UnleashEvent.UNNAMED);
    assertThat(UnleashEvent.parse("flag x changed")).isEqualTo(UnleashEvent.UNNAMED);
    assertThat(UnleashEvent.parse("{\"id\":\"abc\"}").id()).isZero();
    assertThat(UnleashEvent.UNNAMED.describe()).isEqualTo("no Unleash event named in the body");
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
