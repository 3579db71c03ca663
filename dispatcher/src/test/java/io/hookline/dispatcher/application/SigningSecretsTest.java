package io.hookline.dispatcher.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.dispatcher.domain.SigningSecret;
import io.hookline.dispatcher.domain.Webhook;
import io.hookline.runtime.SecretCipher;
import java.util.List;
import org.junit.jupiter.api.Test;

class SigningSecretsTest {

  static final long NOW = 1_000_000L;
  final SecretCipher cipher = SecretCipher.fromBase64Key(SecretCipher.generateBase64Key(), "HOOKLINE_SECRETS_KEY");

  static Webhook webhook(String id, SigningSecret... secrets) {
    return new Webhook(id, "zylker", "http://hooks.test/" + id, List.of("conversation.created"), true, List.of(secrets));
  }

  SigningSecret stored(String clear, String webhookId, Long expiresAt) {
    return new SigningSecret(cipher.encrypt(clear, webhookId), 1L, expiresAt);
  }

  @Test
  void decryptsTheSecretsThatStillSignInTheirOrder() {
    SigningSecrets secrets = new SigningSecrets(cipher, 100);
    Webhook w = webhook("w1", stored("whsec_new", "w1", null), stored("whsec_old", "w1", NOW + 1),
        stored("whsec_gone", "w1", NOW));

    assertThat(secrets.signingAt(w, NOW)).containsExactly("whsec_new", "whsec_old");
    assertThat(secrets.signingAt(w, NOW)).containsExactly("whsec_new", "whsec_old");
    assertThat(secrets.signingAt(w, NOW + 1)).containsExactly("whsec_new");
  }

  @Test
  void aRotatedSecretIsSignedWithAtOnce() {
    SigningSecrets secrets = new SigningSecrets(cipher, 100);
    assertThat(secrets.signingAt(webhook("w1", stored("whsec_first", "w1", null)), NOW)).containsExactly("whsec_first");

    Webhook rotated = webhook("w1", stored("whsec_second", "w1", null), stored("whsec_first", "w1", NOW + 60_000));

    assertThat(secrets.signingAt(rotated, NOW)).containsExactly("whsec_second", "whsec_first");
  }

  @Test
  void aSecretCopiedFromAnotherWebhookDoesNotDecryptEvenOnceTheOriginalIsKept() {
    SigningSecrets secrets = new SigningSecrets(cipher, 100);
    SigningSecret ofW1 = stored("whsec_w1", "w1", null);
    assertThat(secrets.signingAt(webhook("w1", ofW1), NOW)).containsExactly("whsec_w1");

    assertThatThrownBy(() -> secrets.signingAt(webhook("w2", ofW1), NOW))
        .isInstanceOf(SecretCipher.SecretDecryptionException.class);
  }

  @Test
  void aSecretThatDoesNotDecryptFailsEveryTimeAndIsNotKept() {
    SigningSecrets secrets = new SigningSecrets(cipher, 100);
    SecretCipher otherKey = SecretCipher.fromBase64Key(SecretCipher.generateBase64Key(), "HOOKLINE_SECRETS_KEY");
    Webhook w = webhook("w1", new SigningSecret(otherKey.encrypt("whsec_x", "w1"), 1L, null));

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> secrets.signingAt(w, NOW)).isInstanceOf(SecretCipher.SecretDecryptionException.class);
    }
    assertThat(secrets.size()).isZero();
  }

  @Test
  void keepsNoMoreThanItsBoundAndStaysCorrectPastIt() {
    SigningSecrets secrets = new SigningSecrets(cipher, 3);
    for (int i = 0; i < 10; i++) {
      String id = "w" + i;
      assertThat(secrets.signingAt(webhook(id, stored("whsec_" + i, id, null)), NOW)).containsExactly("whsec_" + i);
      assertThat(secrets.size()).isLessThanOrEqualTo(3);
    }
  }
}
