package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.DeliveryOutcome;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Sends one signed request to a subscriber and classifies what happened. */
public interface WebhookEndpoint {

  /**
   * POSTs {@code body} as JSON to {@code url}. Never completes exceptionally: every failure is a
   * {@link DeliveryOutcome.Failed}. Completes within the delivery timeout.
   */
  CompletableFuture<DeliveryOutcome> post(String url, Map<String, String> headers, byte[] body);
}
