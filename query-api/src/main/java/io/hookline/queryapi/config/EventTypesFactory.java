package io.hookline.queryapi.config;

import io.hookline.queryapi.eventtypes.EventTypeService;
import io.hookline.queryapi.eventtypes.kafka.KafkaEventTypeRepository;
import io.hookline.runtime.HooklineConfiguration;
import io.hookline.runtime.SubscriptionMarkers;
import io.hookline.schemas.HooklineTopics;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.apache.kafka.clients.admin.Admin;

/**
 * The event types: their topic, loaded before the server takes requests (like the webhooks), its
 * fenced writer, and the service over them.
 */
@Factory
public class EventTypesFactory {

  @Context
  @Bean(preDestroy = "close")
  public KafkaEventTypeRepository eventTypeRepository(HooklineConfiguration shared, QueryApiConfiguration config,
      HooklineTopics topics, Admin admin, SubscriptionMarkers markers) {
    return KafkaEventTypeRepository.start(topics, KafkaClientsFactory.clientProps(shared, "hookline-query-api-event-types"),
        admin, config.getWriteTimeout(), KafkaClientsFactory.STARTUP_TIMEOUT, markers);
  }

  @Singleton
  EventTypeService eventTypeService(KafkaEventTypeRepository repository, Clock clock) {
    return new EventTypeService(repository, clock);
  }
}
