package io.ordergate.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure admission rules added for hardening: ambiguity, reads, body budget, auth failures. */
class RequestRulesTest {
  /** A request line and headers, as admission reads them. */
  private record Req(HttpMethod method, String query, MultiMap all) implements Inbound {
    @Override
    public HttpVersion version() {
      return HttpVersion.HTTP_1_1;
    }

    @Override
    public String path() {
      return "/orders";
    }

    @Override
    public String header(CharSequence name) {
      return all.get(name);
    }

    @Override
    public List<String> headers(CharSequence name) {
      return all.getAll(name);
    }
  }

  private static Req headers(String... nameValue) {
    return request(HttpMethod.POST, null, nameValue);
  }

  private static Req request(HttpMethod method, String query, String... nameValue) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < nameValue.length; i += 2) {
      m.add(nameValue[i], nameValue[i + 1]);
    }
    return new Req(method, query, m);
  }

  @Test
  void oneOfEachIdentityHeaderIsUnambiguous() {
    assertThat(
            Ambiguity.violation(
                headers(
                    "Authorization", "Bearer k",
                    "X-Upstream-Environment", "production",
                    "Idempotency-Key", "a")))
        .isNull();
    assertThat(Ambiguity.violation(headers("X-Api-Key", "k"))).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"Authorization", "X-Api-Key", "X-Upstream-Environment", "Idempotency-Key"})
  void anIdentityHeaderGivenTwiceIsAmbiguous(String name) {
    assertThat(Ambiguity.violation(headers(name, "a", name.toLowerCase(), "b")))
        .contains(name)
        .contains("2 times");
  }

  @Test
  void bothCredentialFormsAreAmbiguousEvenWhenTheyAgree() {
    assertThat(Ambiguity.violation(headers("Authorization", "Bearer k", "X-Api-Key", "k")))
        .contains("credential is given twice");
    assertThat(Ambiguity.violation(headers("Authorization", "Basic eA==", "X-Api-Key", "k")))
        .isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-HTTP-Method-Override", "X-HTTP-Method", "x-method-override"})
  void overrideHeadersAreRefused(String name) {
    assertThat(ReadRules.override(headers(name, "POST"))).contains("not accepted");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "_method=POST",
        "a=1&_method=DELETE",
        "_METHOD=put",
        "%5Fmethod=POST",
        "x=1;_method"
      })
  void aMethodQueryParameterIsRefused(String query) {
    assertThat(ReadRules.override(request(HttpMethod.GET, query))).contains("_method");
  }

  @ParameterizedTest
  @ValueSource(strings = {"method=POST", "a_method=1", "sku=_method"})
  void otherQueryParametersPass(String query) {
    assertThat(ReadRules.override(request(HttpMethod.GET, query))).isNull();
  }

  @Test
  void aReadWithABodyIsRefusedAWriteOrAnEmptyReadIsNot() {
    assertThat(ReadRules.bodyOnRead(request(HttpMethod.GET, null, "Content-Length", "2")))
        .isNotNull();
    assertThat(ReadRules.bodyOnRead(request(HttpMethod.HEAD, null, "Transfer-Encoding", "chunked")))
        .isNotNull();
    assertThat(ReadRules.bodyOnRead(request(HttpMethod.OPTIONS, null, "Content-Length", "1")))
        .isNotNull();
    assertThat(ReadRules.bodyOnRead(request(HttpMethod.GET, null, "Content-Length", "0"))).isNull();
    assertThat(ReadRules.bodyOnRead(request(HttpMethod.GET, null))).isNull();
    assertThat(ReadRules.bodyOnRead(request(HttpMethod.POST, null, "Content-Length", "2")))
        .isNull();
  }

  @Test
  void theBodyBudgetRefusesWhatDoesNotFitAndTakesBackWhatIsReleased() {
    BodyBudget budget = new BodyBudget(100);
    assertThat(budget.reserve(60)).isTrue();
    assertThat(budget.reserve(50)).isFalse();
    assertThat(budget.used()).isEqualTo(60);
    assertThat(budget.reserve(40)).isTrue();
    budget.release(60);
    assertThat(budget.reserve(50)).isTrue();
    assertThat(budget.used()).isEqualTo(90);
  }

  @Test
  void failedAuthenticationsAreLimitedPerAddressAndRefill() {
    AtomicLong now = new AtomicLong();
    AuthFailures failures = new AuthFailures(60, now::get); // 1/s, bucket of 10
    for (int i = 0; i < 10; i++) {
      assertThat(failures.allow("10.0.0.1")).isTrue();
    }
    assertThat(failures.allow("10.0.0.1")).isFalse();
    assertThat(failures.allow("10.0.0.2")).isTrue(); // another address has its own bucket
    now.addAndGet(2_000_000_000L);
    assertThat(failures.allow("10.0.0.1")).isTrue();
    assertThat(failures.allow("10.0.0.1")).isTrue();
    assertThat(failures.allow("10.0.0.1")).isFalse();
  }

  @Test
  void aLimitOfZeroIsOff() {
    AuthFailures off = new AuthFailures(0, System::nanoTime);
    for (int i = 0; i < 1000; i++) {
      assertThat(off.allow("10.0.0.1")).isTrue();
    }
    assertThat(off.tracked()).isZero();
  }
}
