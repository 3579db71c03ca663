package io.hookline.queryapi.webhooks;

import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.queryapi.webhooks.domain.Webhook;
import java.time.Instant;

/**
 * Tells the operators that the API changed a webhook ({@code webhook.created}, {@code
 * webhook.updated}, {@code webhook.deleted} operational events). Called after the change is
 * stored; returns once the event is durable, and throws {@link StoreUnavailableException} when it
 * cannot be written, so the caller answers 503 and the client repeats the change, which writes the
 * event again: at least once.
 */
public interface WebhookEvents {

  void created(Webhook created);

  /** {@code after} replaced {@code before}. */
  void updated(Webhook before, Webhook after);

  /** {@code deleted} was deleted at {@code at}. */
  void deleted(Webhook deleted, Instant at);

  /** No events: for a service run without the operational topic. */
  static WebhookEvents none() {
    return new WebhookEvents() {
      @Override
      public void created(Webhook created) {}

      @Override
      public void updated(Webhook before, Webhook after) {}

      @Override
      public void deleted(Webhook deleted, Instant at) {}
    };
  }
}
