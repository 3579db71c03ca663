package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.WebhookSigner;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends operational events to the operator's URL as webhooks: JSON, signed like every delivery
 * (Standard Webhooks headers, {@code webhook-id} being the event's id, with the operator's own
 * {@code whsec_} secret) and through the same {@link WebhookEndpoint}, so the same timeout and
 * target rules (no private addresses unless allowed) apply. A failed notice is tried again after
 * each of {@code retryDelays}; after the last it is logged and skipped, so a dead operator URL never
 * holds anything back for long. Thread-safe.
 */
public final class OperatorNotifications {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorNotifications.class);

  private final String url;
  private final List<String> secret;
  private final WebhookEndpoint endpoint;
  private final List<Duration> retryDelays;
  private final Clock clock;

  /**
   * @throws IllegalArgumentException when {@code secret} is not a {@code whsec_} base64 secret
   */
  public OperatorNotifications(String url, String secret, WebhookEndpoint endpoint, List<Duration> retryDelays,
      Clock clock) {
    this.url = Objects.requireNonNull(url, "url");
    this.secret = List.of(Objects.requireNonNull(secret, "secret"));
    this.endpoint = endpoint;
    this.retryDelays = List.copyOf(retryDelays);
    this.clock = clock;
    WebhookSigner.signature("check", 0, new byte[0], this.secret);
  }

  /** The longest a notice can take, every attempt timing out after {@code attemptTimeout}. */
  public Duration longest(Duration attemptTimeout) {
    Duration total = attemptTimeout.multipliedBy(retryDelays.size() + 1L);
    for (Duration d : retryDelays) {
      total = total.plus(d);
    }
    return total;
  }

  /**
   * Sends the event {@code eventId} with the JSON {@code body}. Completes with true once the
   * operator answered 2xx, false after the last attempt failed; never exceptionally.
   */
  public CompletableFuture<Boolean> send(String eventId, byte[] body) {
    return attempt(eventId, body, 0);
  }

  private CompletableFuture<Boolean> attempt(String eventId, byte[] body, int retry) {
    long timestamp = clock.millis() / 1000;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", eventId);
    headers.put("webhook-timestamp", Long.toString(timestamp));
    headers.put("webhook-signature", WebhookSigner.signature(eventId, timestamp, body, secret));
    return endpoint.post(url, headers, body).thenCompose(outcome -> {
      if (!(outcome instanceof DeliveryOutcome.Failed failed)) {
        return CompletableFuture.completedFuture(true);
      }
      if (retry >= retryDelays.size()) {
        LOG.error("Operational event {} not delivered to {} after {} attempts ({}); skipped", eventId, url, retry + 1,
            failed.message());
        return CompletableFuture.completedFuture(false);
      }
      Duration delay = retryDelays.get(retry);
      LOG.warn("Operational event {} not delivered to {} ({}); again in {}", eventId, url, failed.message(), delay);
      return CompletableFuture.supplyAsync(() -> null,
              CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS))
          .thenCompose(ignored -> attempt(eventId, body, retry + 1));
    });
  }
}
