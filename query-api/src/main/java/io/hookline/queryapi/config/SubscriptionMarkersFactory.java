package io.hookline.queryapi.config;

import io.hookline.runtime.SubscriptionMarkers;
import io.hookline.schemas.HooklineTopics;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;

/**
 * The markers a confirmed change of a webhook or an event type leaves on every partition of the
 * events topic, written through the service's producer before the change is answered: the
 * dispatchers catch their subscriptions up when they read one.
 */
@Factory
public class SubscriptionMarkersFactory {

  @Singleton
  @Bean(preDestroy = "close")
  public SubscriptionMarkers subscriptionMarkers(QueryApiConfiguration config, HooklineTopics topics,
      Producer<byte[], byte[]> producer, Admin admin) {
    return new SubscriptionMarkers(producer, admin, List.of(topics.events().name()),
        "hookline-query-api", config.getWriteTimeout());
  }
}
