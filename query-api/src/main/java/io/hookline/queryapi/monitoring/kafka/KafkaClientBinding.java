package io.hookline.queryapi.monitoring.kafka;

import io.hookline.runtime.metrics.KafkaClientMeters;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
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
  BeanCreatedEventListener<Admin> adminMeters(KafkaClientMeters meters) {
    return (BeanCreatedEvent<Admin> event) -> meters.admin(event.getBean());
  }

  @Singleton
  BeanCreatedEventListener<Producer<?, ?>> producerMeters(KafkaClientMeters meters) {
    return (BeanCreatedEvent<Producer<?, ?>> event) -> meters.producer(event.getBean());
  }
}
