package io.hookline.dispatcher.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our signatures verify with the independent Standard Webhooks library, also during a rotation. */
class WebhookSignerTest {

  private static final String BODY = "{\"id\":\"e1\",\"portal\":\"zylker\",\"event\":\"a.b\",\"payload\":{\"x\":\"é\"}}";

  static String newSecret() {
    byte[] key = new byte[24];
    new SecureRandom().nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  private static Map<String, List<String>> headers(String id, long ts, String signature) {
    return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(ts)),
        "webhook-signature", List.of(signature));
  }

  @Test
  void signatureVerifiesWithTheStandardWebhooksLibrary() throws Exception {
    String secret = newSecret();
    long ts = System.currentTimeMillis() / 1000;
    String sig = WebhookSigner.signature("msg_1", ts, BODY.getBytes(StandardCharsets.UTF_8), List.of(secret));

    assertThat(sig).startsWith("v1,").doesNotContain(" ");
    assertThatCode(() -> new Webhook(secret).verify(BODY, headers("msg_1", ts, sig))).doesNotThrowAnyException();
    // and the library computes exactly what we send
    assertThat(new Webhook(secret).sign("msg_1", ts, BODY)).isEqualTo(sig);
  }

  @Test
  void aChangedBodyIdOrSecretDoesNotVerify() throws Exception {
    String secret = newSecret();
    long ts = System.currentTimeMillis() / 1000;
    String sig = WebhookSigner.signature("msg_1", ts, BODY.getBytes(StandardCharsets.UTF_8), List.of(secret));

    assertThatThrownBy(() -> new Webhook(secret).verify(BODY + " ", headers("msg_1", ts, sig)))
        .isInstanceOf(WebhookVerificationException.class);
    assertThatThrownBy(() -> new Webhook(secret).verify(BODY, headers("msg_2", ts, sig)))
        .isInstanceOf(WebhookVerificationException.class);
    assertThatThrownBy(() -> new Webhook(newSecret()).verify(BODY, headers("msg_1", ts, sig)))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void duringARotationBothTheOldAndTheNewSecretVerify() throws Exception {
    String newer = newSecret();
    String older = newSecret();
    long now = System.currentTimeMillis();
    List<SigningSecret> secrets = List.of(
        new SigningSecret(newer, now - 1000, null),
        new SigningSecret(older, now - 100_000, now + 3_600_000));
    List<String> signing = WebhookSigner.signingSecrets(secrets, now);
    long ts = now / 1000;
    String sig = WebhookSigner.signature("msg_9", ts, BODY.getBytes(StandardCharsets.UTF_8), signing);

    assertThat(sig.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
    assertThatCode(() -> new Webhook(newer).verify(BODY, headers("msg_9", ts, sig))).doesNotThrowAnyException();
    assertThatCode(() -> new Webhook(older).verify(BODY, headers("msg_9", ts, sig))).doesNotThrowAnyException();
  }

  @Test
  void anExpiredSecretNoLongerSigns() throws Exception {
    String newer = newSecret();
    String expired = newSecret();
    long now = System.currentTimeMillis();
    List<String> signing = WebhookSigner.signingSecrets(List.of(
        new SigningSecret(newer, now - 1000, null),
        new SigningSecret(expired, now - 100_000, now - 1)), now);
    long ts = now / 1000;
    String sig = WebhookSigner.signature("msg_3", ts, BODY.getBytes(StandardCharsets.UTF_8), signing);

    assertThat(signing).containsExactly(newer);
    assertThatThrownBy(() -> new Webhook(expired).verify(BODY, headers("msg_3", ts, sig)))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void refusesToSignWithoutASecretOrWithOneThatIsNotBase64() {
    assertThatThrownBy(() -> WebhookSigner.signature("m", 1, new byte[0], List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookSigner.signature("m", 1, new byte[0], List.of("whsec_not base64!")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base64");
  }
}
