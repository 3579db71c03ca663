package io.hookline.dispatcher.domain;

/**
 * A webhook's signing secret as stored (encrypted at rest).
 *
 * @param expiresAt epoch ms after which it no longer signs, null while it is current
 */
public record SigningSecret(String secret, long createdAt, Long expiresAt) {

  /** Whether it may still sign at {@code nowMillis}. */
  public boolean signsAt(long nowMillis) {
    return expiresAt == null || expiresAt > nowMillis;
  }
}
