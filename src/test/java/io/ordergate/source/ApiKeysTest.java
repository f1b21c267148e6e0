package io.ordergate.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  @Test
  void hashIsLowerCaseHexSha256() {
    assertThat(ApiKeys.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(ApiKeys.hash("abc"))
        .isEqualTo(ApiKeys.hash("abc")); // the per-thread digest is reset after use
  }

  @Test
  void digestOfAKeyFindsItsStoredHash() {
    String key = ApiKeys.generate("web");
    Map<ApiKeys.Digest, String> byHash =
        Map.of(
            ApiKeys.Digest.ofHex(ApiKeys.hash(key)),
            "web",
            ApiKeys.Digest.ofHex(ApiKeys.hash("other")),
            "other");

    assertThat(byHash.get(ApiKeys.Digest.of(key))).isEqualTo("web");
    assertThat(byHash.get(ApiKeys.Digest.of("other"))).isEqualTo("other");
    assertThat(byHash.get(ApiKeys.Digest.of(key + "x"))).isNull();
  }

  @Test
  void onlyTheStoredFormIsAccepted() {
    String hash = ApiKeys.hash("abc");
    assertThatThrownBy(() -> ApiKeys.Digest.ofHex(hash.toUpperCase()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApiKeys.Digest.ofHex(hash.substring(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApiKeys.Digest.ofHex("zz" + hash.substring(2)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
