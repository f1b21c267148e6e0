package io.ordergate.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Generates API keys and hashes them; the clear key is shown once and never stored. */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  });

  private ApiKeys() {}

  /** A new key: a recognisable prefix plus 256 random bits. */
  public static String generate(String sourceId) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "og_" + sourceId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String key) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return HEX.formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
  }
}
