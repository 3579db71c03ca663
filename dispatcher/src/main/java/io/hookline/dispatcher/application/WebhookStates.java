package io.hookline.dispatcher.application;

import java.util.concurrent.CompletableFuture;

/**
 * The lifecycle fields of stored webhooks that the dispatcher changes: whether a webhook is
 * enabled, why it was disabled, and since when it has been failing. Each change reads the latest
 * stored webhook, changes only those fields and writes it back, so the rest of the webhook is
 * whatever was stored last (see the implementation for the window in which a concurrent change
 * can still be lost).
 */
public interface WebhookStates {

  /**
   * Disables the webhook with {@code reason}, unless it is gone or already disabled. Completes with
   * true once the disabled webhook is written, false when there was nothing to do.
   */
  CompletableFuture<Boolean> disable(String webhookId, String reason, long now);

  /** Stores the start of the webhook's failure streak ({@code since}), or clears it (null). */
  CompletableFuture<Void> failingSince(String webhookId, Long since, long now);
}
