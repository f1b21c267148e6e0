package io.ordergate.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** Generates API keys and hashes them; the clear key is shown once and never stored. */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
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

  /** The SHA-256 of the key as stored: 64 lower-case hex digits. */
  public static String hash(String key) {
    return HEX.formatHex(digest(key));
  }

  /** The SHA-256 of the key, raw. */
  static byte[] digest(String key) {
    // digest() leaves the instance reset; update and digest of one array cannot fail half-way.
    return SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A key's SHA-256 as a map key: looked up without formatting and hashing 64 hex characters per
   * request. Holds the hash only, never the key.
   */
  static final class Digest {
    private final byte[] bytes;
    private final int hash;

    Digest(byte[] bytes) {
      this.bytes = bytes;
      // The digest is uniformly distributed: its first four bytes are as good a hash as any.
      this.hash =
          bytes.length >= 4
              ? (bytes[0] & 0xff) << 24
                  | (bytes[1] & 0xff) << 16
                  | (bytes[2] & 0xff) << 8
                  | bytes[3] & 0xff
              : Arrays.hashCode(bytes);
    }

    static Digest of(String key) {
      return new Digest(digest(key));
    }

    /** From the stored form, {@link #hash(String)}'s hex. */
    static Digest ofHex(String hex) {
      // Exactly what hash(String) writes, as the string lookup required: 64 lower-case hex digits.
      if (hex.length() != 64
          || !hex.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        throw new IllegalArgumentException("not a lower-case hex SHA-256");
      }
      return new Digest(HEX.parseHex(hex));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Digest d && d.hash == hash && Arrays.equals(d.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
