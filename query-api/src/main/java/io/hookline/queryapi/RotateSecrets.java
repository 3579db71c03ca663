package io.hookline.queryapi;

import io.hookline.queryapi.config.KafkaClientsFactory;
import io.hookline.queryapi.config.QueryApiConfiguration;
import io.hookline.queryapi.config.WebhookUpdatesFactory;
import io.hookline.queryapi.webhooks.kafka.KafkaWebhookRepository;
import io.hookline.queryapi.webhooks.kafka.SecretsReencryption;
import io.hookline.runtime.FencedUpdates;
import io.hookline.runtime.HooklineConfiguration;
import io.hookline.runtime.SecretCipher;
import io.hookline.runtime.TopicMirror;
import io.hookline.schemas.HooklineTopics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;

/**
 * The command that finishes a rotation of {@code HOOKLINE_SECRETS_KEY}: re-encrypts every webhook's
 * signing secrets on the webhooks topic under the current key ({@link SecretsReencryption}). Reads
 * the query API's configuration (application.yml, hookline-shared.yml, {@code HOOKLINE_*}
 * variables) without starting the API. Prints what it did; exits 0 when every webhook is under the
 * current key, 1 otherwise (a secret that decrypts under no key, a write that failed, or bad
 * configuration). Safe to run again, and while the services run.
 */
public final class RotateSecrets {

  private RotateSecrets() {}

  public static void main(String[] args) {
    try {
      SecretsReencryption.Result result = run();
      System.out.printf("Re-encrypted %d webhook(s) under the current HOOKLINE_SECRETS_KEY; %d already were.%n",
          result.reencrypted(), result.current());
      result.failures().forEach(f -> System.err.println("Not re-encrypted: " + f));
      System.exit(result.failures().isEmpty() ? 0 : 1);
    } catch (RuntimeException e) {
      System.err.println("Secret re-encryption failed: " + e.getMessage());
      System.exit(1);
    }
  }

  static SecretsReencryption.Result run() {
    HooklineConfiguration shared = new HooklineConfiguration();
    QueryApiConfiguration config = new QueryApiConfiguration();
    try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).build()) {
      Environment env = context.getEnvironment().start();
      set(env, "hookline.kafka-bootstrap-servers", String.class, shared::setKafkaBootstrapServers);
      set(env, "hookline.topic-prefix", String.class, shared::setTopicPrefix);
      set(env, "hookline.retry-delays", String.class, shared::setRetryDelays);
      set(env, "hookline.write-timeout", Duration.class, config::setWriteTimeout);
      set(env, "hookline.secrets-key", String.class, config::setSecretsKey);
      set(env, "hookline.secrets-previous-keys", String.class, config::setSecretsPreviousKeys);
    }
    SecretCipher cipher = SecretCipher.fromBase64Keys(config.getSecretsKey(), config.getSecretsPreviousKeys(),
        "HOOKLINE_SECRETS_KEY", "HOOKLINE_SECRETS_PREVIOUS_KEYS");
    HooklineTopics topics = shared.topics();
    KafkaClientsFactory clients = new KafkaClientsFactory();
    try (Admin admin = clients.admin(shared);
        TopicMirror<io.hookline.avro.Webhook> mirror = clients.webhooksMirror(shared, topics);
        FencedUpdates<io.hookline.avro.Webhook> updates =
            new WebhookUpdatesFactory().webhookUpdates(shared, config, topics, mirror, admin)) {
      KafkaWebhookRepository repository = new KafkaWebhookRepository(topics, mirror, updates, cipher);
      return new SecretsReencryption(mirror, cipher, repository).run();
    }
  }

  private static <T> void set(Environment env, String key, Class<T> type, Consumer<T> setter) {
    env.getProperty(key, type).ifPresent(setter);
  }
}
