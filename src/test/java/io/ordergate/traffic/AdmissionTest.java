package io.ordergate.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordergate.decision.DecisionTable;
import io.ordergate.decision.SourceDecision;
import io.ordergate.decision.Verdict;
import io.ordergate.fence.EnvironmentFence;
import io.ordergate.problem.Failure;
import io.ordergate.source.Source;
import io.ordergate.traffic.Admission.Admitted;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admission checks one by one, and the order in which they refuse. */
class AdmissionTest {
  private static final Source SHOP = new Source("shop", "production", "", null, null);
  private static final Source STAGING_RIG = new Source("rig", "staging", "", null, null);

  private final List<String> throttled = new ArrayList<>();
  private boolean underLimit = true;
  private final Admission admission =
      new Admission(
          key -> key.equals("shop-key") ? SHOP : key.equals("rig-key") ? STAGING_RIG : null,
          new EnvironmentFence("production"),
          (source, rate) -> {
            throttled.add(source + "@" + rate);
            return underLimit;
          },
          1_000);

  /** A request that passes every check; each test breaks one thing. */
  private static Request order() {
    return new Request(HttpMethod.POST, HttpVersion.HTTP_1_1, "/orders")
        .with("Host", "gate")
        .with("Authorization", "Bearer shop-key")
        .with(EnvironmentFence.HEADER, "production")
        .with("Content-Length", "10");
  }

  private static DecisionTable table(Verdict verdict, int rate) {
    SourceDecision d = new SourceDecision("shop", "f", verdict, "because " + verdict, null, rate);
    return new DecisionTable(
        Map.of("shop", d),
        new SourceDecision(null, null, Verdict.REJECT, "?", null),
        1,
        Instant.EPOCH,
        Map.of());
  }

  private static final DecisionTable ACCEPT = table(Verdict.ACCEPT, 0);

  private Refusal refusal(Request request, DecisionTable table) {
    Admission.Result result = admission.check(request, table);
    assertThat(result).isInstanceOf(Refusal.class);
    return (Refusal) result;
  }

  @Test
  void aWellFormedWriteOfAnAcceptedSourceIsAdmitted() {
    assertThat(admission.check(order(), ACCEPT)).isEqualTo(new Admitted(SHOP, true, false));
  }

  @Test
  void aReadPassesWhateverTheSourcesDecision() {
    // Without a body: a read that carries one is refused (ReadRules).
    Request read = order().method(HttpMethod.GET).without("Content-Length");
    assertThat(admission.check(read, table(Verdict.REJECT, 0)))
        .isEqualTo(new Admitted(SHOP, false, false));
  }

  @Test
  void aReadWithABodyIsRefusedAndClosesTheConnection() {
    Refusal r = refusal(order().method(HttpMethod.GET), table(Verdict.REJECT, 0));
    assertThat(r.failure()).isEqualTo(Failure.BODY_ON_READ);
    assertThat(r.closeConnection()).isTrue();
    assertThat(r.source()).isEqualTo("shop");
  }

  @Test
  void aMethodOverrideIsRefusedOnReadsAndWrites() {
    Request read = order().method(HttpMethod.GET).without("Content-Length");
    assertThat(refusal(read.with("X-HTTP-Method-Override", "POST"), ACCEPT).failure())
        .isEqualTo(Failure.METHOD_OVERRIDE);
    assertThat(refusal(order().with("X-Method-Override", "GET"), ACCEPT).failure())
        .isEqualTo(Failure.METHOD_OVERRIDE);
  }

  @Test
  void ambiguousIdentityIsRefusedBeforeTheKeyIsLookedUp() {
    Request both = order().with("X-Api-Key", "shop-key");
    Refusal r = refusal(both, ACCEPT);
    assertThat(r.failure()).isEqualTo(Failure.AMBIGUOUS_REQUEST);
    assertThat(r.source()).isNull();
  }

  @Test
  void failedAuthenticationsOverTheAddressLimitAreRefused429AndClose() {
    Admission limited =
        new Admission(
            key -> null, new EnvironmentFence("production"), (s, r) -> true, 1_000, a -> false);
    Admission.Result r = limited.check(order(), ACCEPT);
    assertThat(((Refusal) r).failure()).isEqualTo(Failure.AUTH_FAILURES_LIMITED);
    assertThat(((Refusal) r).closeConnection()).isTrue();
  }

  @Test
  void twoHostHeadersAreMalformedAndCloseTheConnection() {
    Refusal r = refusal(order().with("Host", "other"), ACCEPT);
    assertThat(r.failure()).isEqualTo(Failure.MALFORMED_REQUEST);
    assertThat(r.closeConnection()).isTrue();
    assertThat(r.source()).isNull();
  }

  @Test
  void aTransferEncodingOtherThanChunkedIsMalformed() {
    assertThat(refusal(order().with("Transfer-Encoding", "gzip"), ACCEPT).failure())
        .isEqualTo(Failure.MALFORMED_REQUEST);
  }

  @Test
  void aPathOutsideOrdersIsNotFound() {
    assertThat(refusal(order().path("/admin"), ACCEPT)).isSameAs(Refusal.NOT_FOUND);
    assertThat(refusal(order().path("/ordersX"), ACCEPT)).isSameAs(Refusal.NOT_FOUND);
  }

  @Test
  void aDotSegmentIsABadPath() {
    assertThat(refusal(order().path("/orders/../admin"), ACCEPT).failure())
        .isEqualTo(Failure.BAD_PATH);
  }

  @Test
  void noCredentialIsRefusedAsMissing() {
    assertThat(refusal(order().without("Authorization"), ACCEPT))
        .isSameAs(Refusal.MISSING_CREDENTIAL);
  }

  @Test
  void anXApiKeyIsACredentialToo() {
    Request viaApiKey = order().without("Authorization").with("X-Api-Key", " shop-key ");
    assertThat(admission.check(viaApiKey, ACCEPT)).isInstanceOf(Admitted.class);
  }

  @Test
  void aKeyOfNoSourceIsRefusedAsUnknown() {
    assertThat(refusal(order().with("Authorization", "Bearer nobody"), ACCEPT))
        .isSameAs(Refusal.UNKNOWN_CREDENTIAL);
  }

  @Test
  void aMissingOrWrongEnvironmentIsFencedWithTheSourceNamed() {
    Refusal missing = refusal(order().without(EnvironmentFence.HEADER), ACCEPT);
    assertThat(missing.failure()).isEqualTo(Failure.WRONG_ENVIRONMENT);
    assertThat(missing.source()).isEqualTo("shop");
    assertThat(refusal(order().with(EnvironmentFence.HEADER, "staging"), ACCEPT).failure())
        .isEqualTo(Failure.WRONG_ENVIRONMENT);
  }

  @Test
  void aSourceRegisteredForAnotherEnvironmentIsFenced() {
    Request rig = order().with("Authorization", "Bearer rig-key");
    assertThat(refusal(rig, ACCEPT).failure()).isEqualTo(Failure.WRONG_ENVIRONMENT);
  }

  @Test
  void aMethodThatIsNotProxiedIsNotAllowed() {
    Refusal r = refusal(order().method(HttpMethod.TRACE), ACCEPT);
    assertThat(r.failure()).isEqualTo(Failure.METHOD_NOT_ALLOWED);
    assertThat(r.detail()).contains("TRACE");
  }

  @Test
  void aDeclaredLengthOverTheLimitIsTooLargeAndClosesTheConnection() {
    Refusal r = refusal(order().with("Content-Length", "1001"), ACCEPT);
    assertThat(r.failure()).isEqualTo(Failure.BODY_TOO_LARGE);
    assertThat(r.closeConnection()).isTrue();
    assertThat(r.source()).isEqualTo("shop");
    assertThat(admission.check(order().with("Content-Length", "1000"), ACCEPT))
        .isInstanceOf(Admitted.class);
  }

  @Test
  void aDisabledSourcesWriteIsRefusedWithTheDecisionsReason() {
    Refusal r = refusal(order(), table(Verdict.REJECT, 0));
    assertThat(r.failure()).isEqualTo(Failure.SOURCE_DISABLED);
    assertThat(r.detail()).isEqualTo("because REJECT");
  }

  @Test
  void aThrottledSourcePassesUnderItsRateAndIsRefusedOverIt() {
    assertThat(admission.check(order(), table(Verdict.THROTTLE, 7))).isInstanceOf(Admitted.class);
    underLimit = false;
    Refusal r = refusal(order(), table(Verdict.THROTTLE, 7));
    assertThat(r.failure()).isEqualTo(Failure.SOURCE_THROTTLED);
    assertThat(throttled).containsExactly("shop@7", "shop@7");
  }

  @Test
  void aQuarantinedSourcesWriteIsAdmittedToBeHeld() {
    assertThat(admission.check(order(), table(Verdict.QUARANTINE, 0)))
        .isEqualTo(new Admitted(SHOP, true, true));
  }

  @Test
  void aHeldSourceOverItsHoldRateIsRefusedBeforeItsBodyAndOthersAreNot() {
    long[] now = {0};
    Admission capped =
        new Admission(
            key -> key.equals("shop-key") ? SHOP : null,
            new EnvironmentFence("production"),
            (source, rate) -> true,
            1_000,
            address -> true,
            new HoldRate(2, () -> now[0]));
    DecisionTable held = table(Verdict.QUARANTINE, 0);
    assertThat(capped.check(order(), held)).isEqualTo(new Admitted(SHOP, true, true));
    assertThat(capped.check(order(), held)).isEqualTo(new Admitted(SHOP, true, true));
    Admission.Result over = capped.check(order(), held);
    assertThat(over).isInstanceOf(Refusal.class);
    assertThat(((Refusal) over).failure()).isEqualTo(Failure.SOURCE_OVER_HOLD_RATE);
    assertThat(((Refusal) over).source()).isEqualTo("shop");
    assertThat(capped.check(order(), ACCEPT))
        .as("the cap is on held orders only")
        .isEqualTo(new Admitted(SHOP, true, false));
    assertThat(capped.check(order().method(HttpMethod.GET).without("Content-Length"), held))
        .isEqualTo(new Admitted(SHOP, false, false));
    now[0] += 1_000_000_000L;
    assertThat(capped.check(order(), held)).isEqualTo(new Admitted(SHOP, true, true));
  }

  @Test
  void framingIsCheckedBeforeThePath() {
    Request both = order().with("Host", "other").path("/admin");
    assertThat(refusal(both, ACCEPT).failure()).isEqualTo(Failure.MALFORMED_REQUEST);
  }

  @Test
  void thePathIsCheckedBeforeTheCredential() {
    Request both = order().without("Authorization").path("/admin");
    assertThat(refusal(both, ACCEPT)).isSameAs(Refusal.NOT_FOUND);
  }

  @Test
  void theCredentialIsCheckedBeforeTheFence() {
    Request both = order().with("Authorization", "Bearer nobody").without(EnvironmentFence.HEADER);
    assertThat(refusal(both, ACCEPT)).isSameAs(Refusal.UNKNOWN_CREDENTIAL);
  }

  @Test
  void theFenceIsCheckedBeforeTheMethodAndTheSize() {
    Request all =
        order()
            .without(EnvironmentFence.HEADER)
            .method(HttpMethod.TRACE)
            .with("Content-Length", "5000");
    assertThat(refusal(all, ACCEPT).failure()).isEqualTo(Failure.WRONG_ENVIRONMENT);
  }

  @Test
  void theSizeIsCheckedBeforeTheDecisionAndNoRateIsSpentOnARefusedRequest() {
    Request big = order().with("Content-Length", "5000");
    assertThat(refusal(big, table(Verdict.THROTTLE, 7)).failure())
        .isEqualTo(Failure.BODY_TOO_LARGE);
    assertThat(throttled).isEmpty();
  }

  @Test
  void anUnparsableRequestIsRefusedAndItsConnectionClosed() {
    Refusal r = Admission.unparsable(null);
    assertThat(r.failure()).isEqualTo(Failure.MALFORMED_REQUEST);
    assertThat(r.closeConnection()).isTrue();
  }

  /** A request as admission sees it: line and headers. */
  private static final class Request implements Inbound {
    private HttpMethod method;
    private final HttpVersion version;
    private String path;
    private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();

    Request(HttpMethod method, HttpVersion version, String path) {
      this.method = method;
      this.version = version;
      this.path = path;
    }

    Request with(String name, String value) {
      if (name.equals("Host") || name.equals("Transfer-Encoding")) {
        headers.add(name, value);
      } else {
        headers.set(name, value);
      }
      return this;
    }

    Request without(String name) {
      headers.remove(name);
      return this;
    }

    Request method(HttpMethod m) {
      this.method = m;
      return this;
    }

    Request path(String p) {
      this.path = p;
      return this;
    }

    @Override
    public HttpMethod method() {
      return method;
    }

    @Override
    public HttpVersion version() {
      return version;
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public String header(CharSequence name) {
      return headers.get(name);
    }

    @Override
    public List<String> headers(CharSequence name) {
      return headers.getAll(name);
    }
  }
}
