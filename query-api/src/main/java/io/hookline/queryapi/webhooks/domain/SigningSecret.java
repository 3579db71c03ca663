package io.hookline.queryapi.webhooks.domain;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * One secret that signs a webhook's requests (Standard Webhooks: {@code whsec_} followed by the
 * base64 of the key bytes).
 *
 * @param expiresAt when this secret stops signing; null while it is the current secret
 */
public record SigningSecret(String value, Instant createdAt, Instant expiresAt) {

  public static final String PREFIX = "whsec_";
  static final int GENERATED_KEY_BYTES = 32;

  public SigningSecret {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A new current secret with {@value #GENERATED_KEY_BYTES} random key bytes. */
  public static SigningSecret generate(SecureRandom random, Instant now) {
    byte[] key = new byte[GENERATED_KEY_BYTES];
    random.nextBytes(key);
    return current(PREFIX + Base64.getEncoder().encodeToString(key), now);
  }

  public static SigningSecret current(String value, Instant now) {
    return new SigningSecret(value, now, null);
  }

  public boolean isCurrent() {
    return expiresAt == null;
  }

  public SigningSecret expiringAt(Instant when) {
    return new SigningSecret(value, createdAt, when);
  }

  @Override
  public String toString() {
    return "SigningSecret[createdAt=" + createdAt + ", expiresAt=" + expiresAt + "]";
  }
}
