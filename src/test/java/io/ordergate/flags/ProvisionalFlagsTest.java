package io.ordergate.flags;

import static org.assertj.core.api.Assertions.assertThat;

import io.getunleash.event.ClientFeaturesResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** A webhook's flag switch laid over the flags fetched, until a fetch reaches its revision. */
class ProvisionalFlagsTest {
  private final Deque<ClientFeaturesResponse> answers = new ArrayDeque<>();
  private final FailLoudFetcher fetcher = new FailLoudFetcher(answers::removeFirst);

  private static String flags(long revision, boolean mobileOn) {
    return "{\"version\":2,\"features\":[{\"name\":\"order-source.mobile\",\"enabled\":"
        + mobileOn
        + ",\"strategies\":[]}],\"meta\":{\"revisionId\":"
        + revision
        + "}}";
  }

  private static Boolean mobileOn(ClientFeaturesResponse r) {
    return new JsonObject(r.getClientFeatures().orElseThrow())
        .getJsonArray("features")
        .getJsonObject(0)
        .getBoolean("enabled");
  }

  @Test
  void aSwitchHoldsUntilAFetchReachesItsRevisionThenTheFetchRules() {
    answers.add(ClientFeaturesResponse.updated(flags(10, true)));
    fetcher.fetchFeatures();

    assertThat(fetcher.offer("order-source.mobile", false, 11)).isNull();
    ClientFeaturesResponse provisional = fetcher.fetchFeatures(); // no call to Unleash
    assertThat(fetcher.lastProvisional()).isTrue();
    assertThat(mobileOn(provisional)).isFalse();

    answers.add(ClientFeaturesResponse.notChanged()); // Unleash has not published it yet
    assertThat(fetcher.fetchFeatures().getStatus())
        .isEqualTo(ClientFeaturesResponse.Status.NOT_CHANGED);
    answers.add(ClientFeaturesResponse.updated(flags(10, true))); // an older revision: still off
    assertThat(mobileOn(fetcher.fetchFeatures())).isFalse();

    answers.add(ClientFeaturesResponse.updated(flags(11, true))); // published, and it disagrees
    assertThat(mobileOn(fetcher.fetchFeatures())).isTrue();
    assertThat(fetcher.lastProvisional()).isFalse();
  }

  @Test
  void unknownFlagsEventsAlreadyFetchedAndOlderEventsAreRefused() {
    answers.add(ClientFeaturesResponse.updated(flags(10, true)));
    fetcher.fetchFeatures();

    assertThat(fetcher.offer("order-source.nope", false, 11)).contains("no flag");
    assertThat(fetcher.offer("order-source.mobile", false, 10)).contains("already include it");
    assertThat(fetcher.offer("order-source.mobile", false, 0)).contains("no id");
    assertThat(fetcher.offer("order-source.mobile", true, 13)).isNull();
    assertThat(fetcher.offer("order-source.mobile", false, 12)).contains("came first");
  }
}
