package io.hookline.dispatcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.avro.Attempt;
import io.hookline.avro.AttemptStatus;
import io.hookline.avro.SigningSecret;
import io.hookline.avro.Webhook;
import io.hookline.schemas.EventCodec;
import io.hookline.runtime.SecretCipher;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.WebhookReceiver;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signing secrets as the query API stores them, encrypted at rest with HOOKLINE_SECRETS_KEY: the
 * dispatcher decrypts them to sign, a receiver verifies with the independent Standard Webhooks
 * library through a rotation (both secrets valid while the old one's grace runs), and a secret
 * encrypted under another key or for another webhook is never used.
 */
@IntegrationTest
class SecuredDeliveryTest extends OneDispatcherPerClass {

  private static final SecretCipher CIPHER = SecretCipher.fromBase64Key(RunningDispatcher.SECRETS_KEY, "test");

  /** The webhook with its secrets encrypted for its id, newest first, as the query API writes it. */
  private static Webhook encrypted(Webhook w, List<SigningSecret> plain) {
    w.setSecrets(plain.stream()
        .map(s -> new SigningSecret(CIPHER.encrypt(s.getSecret(), w.getId()), s.getCreatedAt(), s.getExpiresAt()))
        .toList());
    return w;
  }

  /** The attempt record of the execution the receiver got {@code request} for. */
  private static Attempt attemptOf(WebhookReceiver.Request request) {
    return hookline.attempts.awaitOne(a -> a.getExecutionId().equals(request.header("webhook-id")), WAIT);
  }

  @Test
  void aReceiverVerifiesBothSignaturesThroughARotation() throws Exception {
    Webhook w = RunningDispatcher.webhook(hookline.receiver.url("/rotation"), "rotation.event");
    long now = System.currentTimeMillis();
    String older = RunningDispatcher.newSecret();
    hookline.save(encrypted(w, List.of(new SigningSecret(older, now - 60_000, null))));
    hookline.publish(EventCodec.toAvro(RunningDispatcher.event("rotation.event")));
    WebhookReceiver.Request before = hookline.receiver.awaitRequests("/rotation", 1, WAIT).get(0);
    assertThat(before.header("webhook-signature").split(" ")).hasSize(1);
    assertThatCode(() -> new com.standardwebhooks.Webhook(older).verify(before.bodyText(), before.headers()))
        .doesNotThrowAnyException();

    // Rotation: a new current secret, the old one signs on until its grace period ends.
    String newer = RunningDispatcher.newSecret();
    hookline.save(encrypted(w, List.of(new SigningSecret(newer, now, null),
        new SigningSecret(older, now - 60_000, now + 3_600_000))));
    hookline.publish(EventCodec.toAvro(RunningDispatcher.event("rotation.event")));
    WebhookReceiver.Request during = hookline.receiver.awaitRequests("/rotation", 2, WAIT).get(1);
    assertThat(during.header("webhook-signature").split(" ")).hasSize(2).allMatch(sig -> sig.startsWith("v1,"));
    assertThat(attemptOf(during).getRequestHeaders()).as("the attempt records the headers the receiver got")
        .isEqualTo(Map.of("webhook-id", during.header("webhook-id"),
            "webhook-timestamp", during.header("webhook-timestamp"),
            "webhook-signature", during.header("webhook-signature")));
    for (String secret : List.of(newer, older)) {
      assertThatCode(() -> new com.standardwebhooks.Webhook(secret).verify(during.bodyText(), during.headers()))
          .as("verifies with %s", secret == newer ? "the new secret" : "the old secret")
          .doesNotThrowAnyException();
    }
    assertThatThrownBy(() -> new com.standardwebhooks.Webhook(RunningDispatcher.newSecret())
        .verify(during.bodyText(), during.headers())).as("an unrelated secret").isInstanceOf(Exception.class);

    // Grace over: only the new secret signs.
    hookline.save(encrypted(w, List.of(new SigningSecret(newer, now, null),
        new SigningSecret(older, now - 60_000, now - 1))));
    hookline.publish(EventCodec.toAvro(RunningDispatcher.event("rotation.event")));
    WebhookReceiver.Request after = hookline.receiver.awaitRequests("/rotation", 3, WAIT).get(2);
    assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
    assertThatCode(() -> new com.standardwebhooks.Webhook(newer).verify(after.bodyText(), after.headers()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> new com.standardwebhooks.Webhook(older).verify(after.bodyText(), after.headers()))
        .isInstanceOf(Exception.class);
  }

  @Test
  void aSecretEncryptedForAnotherWebhookIsNeverUsedToSign() {
    Webhook w = RunningDispatcher.webhook(hookline.receiver.url("/moved"), "moved.event");
    String secret = RunningDispatcher.newSecret();
    // The ciphertext of another webhook's secret, copied onto this one.
    w.setSecrets(List.of(new SigningSecret(CIPHER.encrypt(secret, "wh_other"), System.currentTimeMillis(), null)));
    hookline.save(w);

    hookline.publish(EventCodec.toAvro(RunningDispatcher.event("moved.event")));

    Attempt a = hookline.attempts.awaitOne(x -> x.getWebhookId().equals(w.getId()), WAIT);
    assertThat(a.getStatus()).isEqualTo(AttemptStatus.ERROR);
    assertThat(a.getErrorCode()).isEqualTo("SECRET_UNREADABLE");
    assertThat(a.getHttpStatus()).isNull();
    assertThat(a.getErrorMessage()).doesNotContain(secret);
    assertThat(hookline.receiver.requests("/moved")).isEmpty();
    assertThat(a.getRequestHeaders()).as("nothing was sent").isNull();
  }

  @Test
  void theDispatcherRefusesToStartWithoutASecretsKey() {
    Map<String, Object> props = Map.of(
        "hookline.kafka-bootstrap-servers", KAFKA.bootstrapServers(),
        "hookline.topic-prefix", KafkaBroker.uniquePrefix(),
        "hookline.topic-partitions", 1);
    assertThatThrownBy(() -> ApplicationContext.run(props).close())
        .satisfies(e -> {
          StringBuilder messages = new StringBuilder();
          for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
          }
          assertThat(messages.toString()).contains("HOOKLINE_SECRETS_KEY is not set");
        });
  }
}
