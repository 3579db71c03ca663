package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.SigningSecret;
import io.hookline.dispatcher.domain.Webhook;
import io.hookline.dispatcher.domain.WebhookSigner;
import io.hookline.runtime.SecretCipher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signing secrets of webhooks in clear, decrypted once per stored (encrypted) value instead of
 * at every attempt: AES-GCM decryption is a noticeable share of the dispatcher's CPU when every
 * attempt pays for it (7% in a JFR profile of {@code ./bench delivery}). A secret that is rotated or re-encrypted has a new stored value and
 * so a new entry; one that does not decrypt is not kept and fails again at the next attempt.
 *
 * <p>Keeping them in memory exposes nothing new: the service-wide key that decrypts every stored
 * secret ({@link SecretCipher}) lives in the same memory for as long as the dispatcher runs. The
 * cache is bounded: past {@code maxEntries} it is emptied and refills from the attempts that follow.
 *
 * <p>Thread-safe.
 */
public final class SigningSecrets {

  private record Stored(String webhookId, String value) {}

  private final SecretCipher cipher;
  private final int maxEntries;
  private final ConcurrentHashMap<Stored, String> clear = new ConcurrentHashMap<>();

  public SigningSecrets(SecretCipher cipher, int maxEntries) {
    this.cipher = cipher;
    this.maxEntries = maxEntries;
  }

  /**
   * The secrets of {@code webhook} that still sign at {@code nowMillis}, in clear, in their stored
   * order; empty when every one has expired.
   *
   * @throws SecretCipher.SecretDecryptionException when one of them does not decrypt
   */
  public List<String> signingAt(Webhook webhook, long nowMillis) {
    List<SigningSecret> stored = webhook.secrets();
    List<String> out = new ArrayList<>(stored.size());
    for (String value : WebhookSigner.signingSecrets(stored, nowMillis)) {
      out.add(inClear(webhook.id(), value));
    }
    return out;
  }

  /** Stored values currently kept in clear. */
  int size() {
    return clear.size();
  }

  private String inClear(String webhookId, String value) {
    Stored key = new Stored(webhookId, value);
    String known = clear.get(key);
    if (known != null) {
      return known;
    }
    String decrypted = cipher.decrypt(value, webhookId);
    if (clear.size() >= maxEntries) {
      clear.clear();
    }
    clear.put(key, decrypted);
    return decrypted;
  }
}
