package io.hookline.dispatcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.hookline.avro.Attempt;
import io.hookline.avro.SigningSecret;
import io.hookline.avro.Webhook;
import io.hookline.runtime.SecretCipher;
import io.hookline.schemas.EventCodec;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rotation of HOOKLINE_SECRETS_KEY as an operator runs it: the dispatcher restarted with the new
 * key and the old one in HOOKLINE_SECRETS_PREVIOUS_KEYS still signs with secrets stored under the
 * old key; once a webhook is re-encrypted under the new key (what the query API's rotation command
 * writes) the old key can be removed and it still delivers, while a webhook left under the old key
 * then fails with SECRET_UNREADABLE and nothing is sent.
 */
@IntegrationTest
class SecretsKeyRotationTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void secretsUnderTheOldKeyDeliverDuringTheRotationAndReencryptedOnesAfterIt() {
    String oldKey = SecretCipher.generateBase64Key();
    String newKey = SecretCipher.generateBase64Key();
    SecretCipher underOld = SecretCipher.fromBase64Key(oldKey, "old");
    SecretCipher underNew = SecretCipher.fromBase64Key(newKey, "new");
    String prefix = KafkaBroker.uniquePrefix();
    String group = "dispatcher-" + UUID.randomUUID();
    String secretA = RunningDispatcher.newSecret();
    String secretB = RunningDispatcher.newSecret();
    Webhook a;
    Webhook b;

    try (RunningDispatcher during = new RunningDispatcher(KAFKA.broker(), Map.of("hookline.topic-prefix", prefix,
        "hookline.dispatcher-group-id", group, "hookline.secrets-key", newKey,
        "hookline.secrets-previous-keys", oldKey))) {
      a = during.save(withSecret(RunningDispatcher.webhook(during.receiver.url("/a"), "key.rotated"), secretA, underOld));
      b = during.save(withSecret(RunningDispatcher.webhook(during.receiver.url("/b"), "key.rotated"), secretB, underOld));
      during.publish(EventCodec.toAvro(RunningDispatcher.event("key.rotated")));
      assertVerifies(during.receiver.awaitRequests("/a", 1, WAIT).get(0), secretA);
      assertVerifies(during.receiver.awaitRequests("/b", 1, WAIT).get(0), secretB);
    }

    try (RunningDispatcher after = new RunningDispatcher(KAFKA.broker(), Map.of("hookline.topic-prefix", prefix,
        "hookline.dispatcher-group-id", group, "hookline.secrets-key", newKey))) {
      // Webhook a re-encrypted under the new key, as the rotation command leaves it; b left behind.
      a.setUrl(after.receiver.url("/a"));
      after.save(withSecret(a, underNew.encrypt(SecretCipher.fromBase64Keys(newKey, oldKey, "new", "old")
          .decrypt(a.getSecrets().get(0).getSecret(), a.getId()), a.getId())));
      after.publish(EventCodec.toAvro(RunningDispatcher.event("key.rotated")));

      assertVerifies(after.receiver.awaitRequests("/a", 1, WAIT).get(0), secretA);
      Attempt refused = after.attempts.awaitOne(x -> x.getWebhookId().equals(b.getId())
          && "SECRET_UNREADABLE".equals(x.getErrorCode()), WAIT);
      assertThat(refused.getRequestHeaders()).as("nothing was sent").isNull();
      assertThat(refused.getErrorMessage()).doesNotContain(secretB);
    }
  }

  private static Webhook withSecret(Webhook w, String secret, SecretCipher cipher) {
    return withSecret(w, cipher.encrypt(secret, w.getId()));
  }

  private static Webhook withSecret(Webhook w, String stored) {
    w.setSecrets(List.of(new SigningSecret(stored, System.currentTimeMillis() - 1000, null)));
    return w;
  }

  private static void assertVerifies(WebhookReceiver.Request request, String secret) {
    assertThatCode(() -> new com.standardwebhooks.Webhook(secret).verify(request.bodyText(), request.headers()))
        .doesNotThrowAnyException();
  }
}
