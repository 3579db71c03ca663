package io.hookline.queryapi.webhooks.kafka;

import io.hookline.avro.OperationalEvent;
import io.hookline.queryapi.config.QueryApiConfiguration;
import io.hookline.queryapi.webhooks.WebhookEvents;
import io.hookline.queryapi.webhooks.domain.Webhook;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.OperationalEventType;
import io.hookline.schemas.Topic;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;

/**
 * Webhook changes made through the API as operational events on the operational topic, keyed by
 * webhook id, each written synchronously with the service's idempotent producer after the webhook
 * itself. The event id derives from the webhook id and the time of the change, so the same change
 * always has the same id.
 */
@Singleton
public class KafkaWebhookEvents implements WebhookEvents {

  private final Topic<String, OperationalEvent> topic;
  private final TopicWriter writer;
  private final Duration writeTimeout;

  public KafkaWebhookEvents(HooklineTopics topics, TopicWriter writer, QueryApiConfiguration config) {
    this.topic = topics.operational();
    this.writer = writer;
    this.writeTimeout = config.getWriteTimeout();
  }

  @Override
  public void created(Webhook created) {
    write(event(OperationalEventType.WEBHOOK_CREATED, created, created.modifiedAt(), null).setEnabled(created.enabled()));
  }

  @Override
  public void updated(Webhook before, Webhook after) {
    String changed = after.changesSince(before);
    write(event(OperationalEventType.WEBHOOK_UPDATED, after, after.modifiedAt(),
        changed.isEmpty() ? "nothing changed" : "changed: " + changed).setEnabled(after.enabled()));
  }

  @Override
  public void deleted(Webhook deleted, Instant at) {
    write(event(OperationalEventType.WEBHOOK_DELETED, deleted, at, null));
  }

  private static OperationalEvent.Builder event(OperationalEventType type, Webhook w, Instant at, String reason) {
    return OperationalEvent.newBuilder()
        .setId(type.eventId(w.id(), Long.toString(at.toEpochMilli())))
        .setType(type.wireName())
        .setWebhookId(w.id())
        .setPortal(w.portal())
        .setUrl(w.url())
        .setOccurredAt(at.toEpochMilli())
        .setReason(reason);
  }

  private void write(OperationalEvent.Builder event) {
    OperationalEvent e = event.build();
    writer.write(topic, e.getWebhookId(), e, writeTimeout);
  }
}
