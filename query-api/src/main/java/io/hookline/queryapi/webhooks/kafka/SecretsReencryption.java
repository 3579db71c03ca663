package io.hookline.queryapi.webhooks.kafka;

import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.queryapi.webhooks.WebhookChange;
import io.hookline.queryapi.webhooks.WebhookRepository;
import io.hookline.runtime.SecretCipher;
import io.hookline.runtime.SecretCipher.SecretDecryptionException;
import io.hookline.runtime.TopicMirror;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-encrypts, under the current {@code HOOKLINE_SECRETS_KEY}, every webhook on the webhooks topic
 * whose signing secrets are still under a previous key (or in clear), so the previous keys can then
 * be dropped. Each webhook is changed through the {@link WebhookRepository}, the write path of the
 * API, which encrypts with the current key and waits until the write is visible; its
 * content is unchanged, and no operational event is told since nothing changed for the subscriber.
 * Idempotent: a webhook already under the current key is not written, so a second run writes
 * nothing. A webhook whose secret decrypts under no configured key is reported and left as it is.
 */
public final class SecretsReencryption {

  /** What one run did: webhooks re-encrypted, already current, and those that failed (id: reason). */
  public record Result(int reencrypted, int current, List<String> failures) {}

  private final TopicMirror<io.hookline.avro.Webhook> mirror;
  private final SecretCipher cipher;
  private final WebhookRepository repository;

  public SecretsReencryption(TopicMirror<io.hookline.avro.Webhook> mirror, SecretCipher cipher,
      WebhookRepository repository) {
    this.mirror = mirror;
    this.cipher = cipher;
    this.repository = repository;
  }

  public Result run() {
    int reencrypted = 0;
    int current = 0;
    List<String> failures = new ArrayList<>();
    for (io.hookline.avro.Webhook record : List.copyOf(mirror.values())) {
      String id = record.getId();
      try {
        if (underCurrentKey(record)) {
          current++;
          continue;
        }
        // Decided on the latest stored version and written through the same fenced path as the
        // API, so a change made meanwhile by any instance is kept, not overwritten.
        boolean written = repository.change(id, latest -> latest
            .map(webhook -> WebhookChange.Outcome.store(webhook, true))
            .orElseGet(() -> new WebhookChange.Outcome<>(false, null, false)));
        if (written) {
          reencrypted++;
        }
      } catch (SecretDecryptionException | StoreUnavailableException e) {
        failures.add(id + ": " + e.getMessage());
      }
    }
    return new Result(reencrypted, current, failures);
  }

  private boolean underCurrentKey(io.hookline.avro.Webhook record) {
    return record.getSecrets().stream().allMatch(s -> cipher.isUnderCurrentKey(s.getSecret(), record.getId()));
  }
}
