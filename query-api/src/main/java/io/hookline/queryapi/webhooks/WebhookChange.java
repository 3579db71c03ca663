package io.hookline.queryapi.webhooks;

import io.hookline.queryapi.webhooks.domain.Webhook;
import java.util.Optional;

/**
 * A change of one webhook, decided on its latest stored version by {@link WebhookRepository#change}.
 * It may be decided more than once (again when another instance wrote the webhook meanwhile), so it
 * has no side effects; it refuses by throwing (unknown webhook, failed precondition).
 */
@FunctionalInterface
public interface WebhookChange<T> {

  Outcome<T> decide(Optional<Webhook> current);

  /**
   * What to store and what to answer.
   *
   * @param write whether to store {@code next}
   * @param next the new version; null deletes the webhook
   */
  record Outcome<T>(boolean write, Webhook next, T answer) {

    public static <T> Outcome<T> store(Webhook next, T answer) {
      return new Outcome<>(true, next, answer);
    }

    public static <T> Outcome<T> delete(T answer) {
      return new Outcome<>(true, null, answer);
    }
  }
}
