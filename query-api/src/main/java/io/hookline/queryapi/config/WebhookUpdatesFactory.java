package io.hookline.queryapi.config;

import io.hookline.avro.Webhook;
import io.hookline.runtime.FencedUpdates;
import io.hookline.runtime.HooklineConfiguration;
import io.hookline.runtime.SubscriptionMarkers;
import io.hookline.runtime.TopicMirror;
import io.hookline.schemas.HooklineTopics;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;

/**
 * The writer of the webhooks topic: every change of a webhook, from any instance, serialised per
 * partition by transactional fencing ({@link FencedUpdates}), within the write timeout.
 */
@Factory
public class WebhookUpdatesFactory {

  /** The service's writer: each change is answered once the dispatchers' input topics are marked after it. */
  @Singleton
  @Bean(preDestroy = "close")
  public FencedUpdates<Webhook> markedWebhookUpdates(HooklineConfiguration shared, QueryApiConfiguration config,
      HooklineTopics topics, TopicMirror<Webhook> mirror, Admin admin, SubscriptionMarkers markers) {
    return webhookUpdates(shared, config, topics, mirror, admin).marking(markers);
  }

  /** Without markers, for tools that change no subscription (re-encrypting the secrets at rest). */
  public FencedUpdates<Webhook> webhookUpdates(HooklineConfiguration shared, QueryApiConfiguration config,
      HooklineTopics topics, TopicMirror<Webhook> mirror, Admin admin) {
    return new FencedUpdates<>(topics.webhooks(), mirror, admin,
        KafkaClientsFactory.clientProps(shared, "hookline-query-api-webhooks"), config.getWriteTimeout());
  }
}
