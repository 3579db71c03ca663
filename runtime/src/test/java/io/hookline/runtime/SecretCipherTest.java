package io.hookline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.runtime.SecretCipher.SecretDecryptionException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private final SecretCipher cipher = SecretCipher.fromBase64Key(SecretCipher.generateBase64Key(), "HOOKLINE_SECRETS_KEY");

  @Test
  void encryptsToAPrefixedTextThatHidesTheSecretAndDecryptsBack() {
    String stored = cipher.encrypt(SECRET, "42");

    assertThat(stored).startsWith(SecretCipher.PREFIX).doesNotContain(SECRET).doesNotContain("MfKQ9r8G");
    assertThat(SecretCipher.isEncrypted(stored)).isTrue();
    byte[] raw = Base64.getDecoder().decode(stored.substring(SecretCipher.PREFIX.length()));
    assertThat(raw).hasSize(12 + SECRET.length() + 16);
    assertThat(cipher.decrypt(stored, "42")).isEqualTo(SECRET);
  }

  @Test
  void everyEncryptionUsesAFreshNonce() {
    String a = cipher.encrypt(SECRET, "42");
    String b = cipher.encrypt(SECRET, "42");
    assertThat(a).isNotEqualTo(b);
    byte[] nonceA = java.util.Arrays.copyOf(Base64.getDecoder().decode(a.substring(SecretCipher.PREFIX.length())), 12);
    byte[] nonceB = java.util.Arrays.copyOf(Base64.getDecoder().decode(b.substring(SecretCipher.PREFIX.length())), 12);
    assertThat(nonceA).isNotEqualTo(nonceB);
  }

  @Test
  void aCiphertextMovedToAnotherWebhookDoesNotDecrypt() {
    String stored = cipher.encrypt(SECRET, "42");
    assertThatThrownBy(() -> cipher.decrypt(stored, "43"))
        .isInstanceOf(SecretDecryptionException.class)
        .hasMessageContaining("43")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void anotherKeyOrAlteredTextDoesNotDecrypt() {
    String stored = cipher.encrypt(SECRET, "42");
    SecretCipher other = SecretCipher.fromBase64Key(SecretCipher.generateBase64Key(), "k");
    assertThatThrownBy(() -> other.decrypt(stored, "42")).isInstanceOf(SecretDecryptionException.class);

    byte[] raw = Base64.getDecoder().decode(stored.substring(SecretCipher.PREFIX.length()));
    raw[raw.length - 20] ^= 1;
    String altered = SecretCipher.PREFIX + Base64.getEncoder().encodeToString(raw);
    assertThatThrownBy(() -> cipher.decrypt(altered, "42")).isInstanceOf(SecretDecryptionException.class);

    assertThatThrownBy(() -> cipher.decrypt(SecretCipher.PREFIX + "AAAA", "42"))
        .isInstanceOf(SecretDecryptionException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> cipher.decrypt(SecretCipher.PREFIX + "not base64!", "42"))
        .isInstanceOf(SecretDecryptionException.class).hasMessageContaining("base64");
  }

  @Test
  void oneThreadDecryptsValueAfterValueAlsoAfterOneThatFailed() {
    String first = cipher.encrypt(SECRET, "42");
    String second = cipher.encrypt("whsec_other", "43");
    assertThat(cipher.decrypt(first, "42")).isEqualTo(SECRET);
    assertThatThrownBy(() -> cipher.decrypt(first, "43")).isInstanceOf(SecretDecryptionException.class);
    assertThat(cipher.decrypt(second, "43")).isEqualTo("whsec_other");
    assertThat(cipher.decrypt(first, "42")).isEqualTo(SECRET);
  }

  @Test
  void aValueWithoutThePrefixIsTakenAsNotEncrypted() {
    assertThat(SecretCipher.isEncrypted(SECRET)).isFalse();
    assertThat(cipher.decrypt(SECRET, "42")).isEqualTo(SECRET);
  }

  @Test
  void aMissingShortOrMalformedKeyIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> SecretCipher.fromBase64Key(null, "HOOKLINE_SECRETS_KEY"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HOOKLINE_SECRETS_KEY is not set");
    assertThatThrownBy(() -> SecretCipher.fromBase64Key(" ", "HOOKLINE_SECRETS_KEY"))
        .hasMessageContaining("HOOKLINE_SECRETS_KEY is not set");
    assertThatThrownBy(() -> SecretCipher.fromBase64Key(Base64.getEncoder().encodeToString(new byte[16]), "HOOKLINE_SECRETS_KEY"))
        .hasMessageContaining("decodes to 16 bytes").hasMessageContaining("32");
    assertThatThrownBy(() -> SecretCipher.fromBase64Key("***", "HOOKLINE_SECRETS_KEY"))
        .hasMessageContaining("not valid base64");
  }

  @Test
  void acceptsUrlSafeBase64KeysAndTheSameKeyDecryptsAcrossInstances() {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (0xF0 + i);
    }
    SecretCipher a = SecretCipher.fromBase64Key(Base64.getEncoder().encodeToString(key), "k");
    SecretCipher b = SecretCipher.fromBase64Key(Base64.getUrlEncoder().withoutPadding().encodeToString(key), "k");
    assertThat(b.decrypt(a.encrypt(SECRET, "7"), "7")).isEqualTo(SECRET);
    assertThat(a.toString()).doesNotContain(Base64.getEncoder().encodeToString(key));
  }

  @Test
  void afterARotationPreviousKeysDecryptAndOnlyTheCurrentKeyEncrypts() {
    String oldKey = SecretCipher.generateBase64Key();
    String newKey = SecretCipher.generateBase64Key();
    SecretCipher before = SecretCipher.fromBase64Key(oldKey, "old");
    SecretCipher during = SecretCipher.fromBase64Keys(newKey, SecretCipher.generateBase64Key() + " , " + oldKey,
        "HOOKLINE_SECRETS_KEY", "HOOKLINE_SECRETS_PREVIOUS_KEYS");
    SecretCipher after = SecretCipher.fromBase64Key(newKey, "new");
    String underOld = before.encrypt("whsec_abc", "42");

    assertThat(during.decrypt(underOld, "42")).isEqualTo("whsec_abc");
    assertThat(during.isUnderCurrentKey(underOld, "42")).isFalse();
    String underNew = during.encrypt(during.decrypt(underOld, "42"), "42");
    assertThat(during.isUnderCurrentKey(underNew, "42")).isTrue();
    assertThat(after.decrypt(underNew, "42")).as("the old key can go once re-encrypted").isEqualTo("whsec_abc");
    assertThatThrownBy(() -> after.decrypt(underOld, "42")).isInstanceOf(SecretDecryptionException.class);
    assertThatThrownBy(() -> during.decrypt(underOld, "43")).as("still bound to the webhook id")
        .isInstanceOf(SecretDecryptionException.class);
    assertThatThrownBy(() -> after.isUnderCurrentKey(underOld, "42")).isInstanceOf(SecretDecryptionException.class);
    assertThat(during.isUnderCurrentKey("whsec_in_clear", "42")).isFalse();
  }

  @Test
  void aMalformedPreviousKeyIsNamedWithItsPosition() {
    assertThatThrownBy(() -> SecretCipher.fromBase64Keys(SecretCipher.generateBase64Key(),
        SecretCipher.generateBase64Key() + ",c2hvcnQ=", "HOOKLINE_SECRETS_KEY", "HOOKLINE_SECRETS_PREVIOUS_KEYS"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HOOKLINE_SECRETS_PREVIOUS_KEYS (key 2 of 2) decodes to 5 bytes");
  }
}
