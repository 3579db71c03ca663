package io.hookline.queryapi.monitoring.kafka;

import io.hookline.runtime.HooklineConfiguration;
import io.hookline.runtime.metrics.KafkaClientMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;

/**
 * Binds the query API's Kafka admin client and producer, as they are created, to the meter registry
 * (Micrometer's Kafka client binder, see {@link KafkaClientMeters}).
 */
@Factory
public class KafkaClientBinding {

  @Singleton
  @Bean(preDestroy = "close")
  KafkaClientMeters queryApiKafkaClientMeters(HooklineConfiguration shared, @Nullable MeterRegistry registry) {
    return shared.isMetricsEnabled() && registry != null ? KafkaClientMeters.of(registry) : KafkaClientMeters.none();
  }

  @Singleton
  BeanCreatedEventListener<Admin> adminMeters(KafkaClientMeters meters) {
    return (BeanCreatedEvent<Admin> event) -> meters.admin(event.getBean());
  }

  @Singleton
  BeanCreatedEventListener<Producer<?, ?>> producerMeters(KafkaClientMeters meters) {
    return (BeanCreatedEvent<Producer<?, ?>> event) -> meters.producer(event.getBean());
  }
}
