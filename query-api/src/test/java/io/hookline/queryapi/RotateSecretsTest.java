package io.hookline.queryapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.queryapi.config.KafkaClientsFactory;
import io.hookline.queryapi.config.QueryApiConfiguration;
import io.hookline.queryapi.config.WebhookUpdatesFactory;
import io.hookline.queryapi.webhooks.WebhookChange;
import io.hookline.runtime.FencedUpdates;
import io.hookline.queryapi.webhooks.domain.SigningSecret;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.hookline.queryapi.webhooks.kafka.KafkaWebhookRepository;
import io.hookline.queryapi.webhooks.kafka.SecretsReencryption;
import io.hookline.runtime.HooklineConfiguration;
import io.hookline.runtime.SecretCipher;
import io.hookline.runtime.SecretCipher.SecretDecryptionException;
import io.hookline.runtime.TopicMirror;
import io.hookline.schemas.HooklineTopics;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The secrets key rotation command against a real broker: webhooks written by the API's write path
 * under the old key are re-encrypted under the new one with their content unchanged, a second run
 * writes nothing, and a webhook whose secret no configured key opens is reported and left alone.
 */
@IntegrationTest
class RotateSecretsTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final String OLD_KEY = SecretCipher.generateBase64Key();
  private static final String NEW_KEY = SecretCipher.generateBase64Key();
  private static final String UNKNOWN_KEY = SecretCipher.generateBase64Key();

  @Test
  void reencryptsEveryWebhookUnderTheNewKeyOnceAndReportsOnesNoKeyOpens() throws Exception {
    HooklineConfiguration shared = new HooklineConfiguration();
    shared.setKafkaBootstrapServers(KAFKA.bootstrapServers());
    shared.setTopicPrefix(KafkaBroker.uniquePrefix());
    HooklineTopics topics = shared.topics();
    KAFKA.broker().createTopics(topics);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Webhook rotated = new Webhook("101", "zylker", "https://example.com/a", List.of("a.b"), true,
        List.of(SigningSecret.current("whsec_" + "A".repeat(32), now),
            new SigningSecret("whsec_" + "B".repeat(32), now.minusSeconds(60), now.plusSeconds(3600))),
        now, now);
    Webhook plain = Webhook.create("102", "zylker", "https://example.com/b", List.of("a.b"), false,
        SigningSecret.current("whsec_" + "C".repeat(32), now), now);
    Webhook lost = Webhook.create("103", "zylker", "https://example.com/c", List.of("a.b"), true,
        SigningSecret.current("whsec_" + "D".repeat(32), now), now);
    try (Admin admin = new KafkaClientsFactory().admin(shared);
        TopicMirror<io.hookline.avro.Webhook> mirror = new KafkaClientsFactory().webhooksMirror(shared, topics);
        FencedUpdates<io.hookline.avro.Webhook> updates =
            new WebhookUpdatesFactory().webhookUpdates(shared, new QueryApiConfiguration(), topics, mirror, admin)) {
      KafkaWebhookRepository underOld =
          new KafkaWebhookRepository(topics, mirror, updates, SecretCipher.fromBase64Key(OLD_KEY, "old"));
      store(underOld, rotated);
      store(underOld, plain);
      store(new KafkaWebhookRepository(topics, mirror, updates, SecretCipher.fromBase64Key(UNKNOWN_KEY, "unknown")),
          lost);
    }

    Map<String, String> settings = Map.of(
        "hookline.kafka-bootstrap-servers", KAFKA.bootstrapServers(),
        "hookline.topic-prefix", shared.getTopicPrefix(),
        "hookline.secrets-key", NEW_KEY,
        "hookline.secrets-previous-keys", SecretCipher.generateBase64Key() + "," + OLD_KEY);
    SecretsReencryption.Result first = withSystemProperties(settings, RotateSecrets::run);
    assertThat(first.reencrypted()).isEqualTo(2);
    assertThat(first.current()).isZero();
    assertThat(first.failures()).singleElement().asString().startsWith("103: ").contains("does not decrypt");

    SecretCipher newOnly = SecretCipher.fromBase64Key(NEW_KEY, "new");
    try (TopicMirror<io.hookline.avro.Webhook> mirror = new KafkaClientsFactory().webhooksMirror(shared, topics)) {
      KafkaWebhookRepository repository = new KafkaWebhookRepository(topics, mirror, null, newOnly);
      assertThat(repository.find("101")).as("readable with the new key alone, unchanged").contains(rotated);
      assertThat(repository.find("102")).contains(plain);
      assertThatThrownBy(() -> repository.find("103")).isInstanceOf(SecretDecryptionException.class);
    }

    SecretsReencryption.Result second = withSystemProperties(settings, RotateSecrets::run);
    assertThat(second.reencrypted()).as("idempotent").isZero();
    assertThat(second.current()).isEqualTo(2);
    assertThat(second.failures()).hasSize(1);
  }

  private static void store(KafkaWebhookRepository repository, Webhook webhook) {
    repository.change(webhook.id(), current -> WebhookChange.Outcome.store(webhook, null));
  }

  private static <T> T withSystemProperties(Map<String, String> properties, java.util.function.Supplier<T> action) {
    properties.forEach(System::setProperty);
    try {
      return action.get();
    } finally {
      properties.keySet().forEach(System::clearProperty);
    }
  }
}
