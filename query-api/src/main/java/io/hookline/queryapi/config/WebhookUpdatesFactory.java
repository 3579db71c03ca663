package io.hookline.queryapi.config;

import io.hookline.avro.Webhook;
import io.hookline.runtime.FencedUpdates;
import io.hookline.runtime.HooklineConfiguration;
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

  @Singleton
  @Bean(preDestroy = "close")
  public FencedUpdates<Webhook> webhookUpdates(HooklineConfiguration shared, QueryApiConfiguration config,
      HooklineTopics topics, TopicMirror<Webhook> mirror, Admin admin) {
    return new FencedUpdates<>(topics.webhooks(), mirror, admin,
        KafkaClientsFactory.clientProps(shared, "hookline-query-api-webhooks"), config.getWriteTimeout());
  }
}
