package io.ordergate.idempotency;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The rules for {@code Idempotency-Key} values and what counts as "the same request". */
public final class RequestFingerprint {
  public static final String HEADER = "Idempotency-Key";
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";
  private static final int MAX_KEY_LENGTH = 255;

  private RequestFingerprint() {}

  /** Why the key cannot be used, or null when it can. */
  public static String violation(String key) {
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      return "Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " characters";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return "Idempotency-Key must be printable ASCII without spaces";
      }
    }
    return null;
  }

  /** SHA-256 over method, path with query, and body: a repeat must match all three. */
  public static byte[] of(String method, String pathAndQuery, Buffer body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(method.getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) '\n');
      sha.update(pathAndQuery.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      if (body != null) {
        sha.update(body.getBytes());
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
