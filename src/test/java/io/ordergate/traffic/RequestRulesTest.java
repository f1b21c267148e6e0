package io.ordergate.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure admission rules added for hardening: ambiguity, reads, body budget, auth failures. */
class RequestRulesTest {
  private static MultiMap headers(String... nameValue) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < nameValue.length; i += 2) {
      m.add(nameValue[i], nameValue[i + 1]);
    }
    return m;
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
    assertThat(ReadRules.override(headers(name, "POST"), null)).contains("not accepted");
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
    assertThat(ReadRules.override(headers(), query)).contains("_method");
  }

  @ParameterizedTest
  @ValueSource(strings = {"method=POST", "a_method=1", "sku=_method"})
  void otherQueryParametersPass(String query) {
    assertThat(ReadRules.override(headers(), query)).isNull();
  }

  @Test
  void aReadWithABodyIsRefusedAWriteOrAnEmptyReadIsNot() {
    assertThat(ReadRules.bodyOnRead(HttpMethod.GET, headers("Content-Length", "2"))).isNotNull();
    assertThat(ReadRules.bodyOnRead(HttpMethod.HEAD, headers("Transfer-Encoding", "chunked")))
        .isNotNull();
    assertThat(ReadRules.bodyOnRead(HttpMethod.OPTIONS, headers("Content-Length", "1")))
        .isNotNull();
    assertThat(ReadRules.bodyOnRead(HttpMethod.GET, headers("Content-Length", "0"))).isNull();
    assertThat(ReadRules.bodyOnRead(HttpMethod.GET, headers())).isNull();
    assertThat(ReadRules.bodyOnRead(HttpMethod.POST, headers("Content-Length", "2"))).isNull();
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
