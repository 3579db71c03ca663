package io.hookline.runtime.metrics;

import io.hookline.runtime.HooklineConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/** The metric beans every service shares. */
@Factory
public class MetricsFactory {

  /**
   * The binder of the service's Kafka clients, through Micronaut's composite meter registry: its
   * meter filters ({@link PrometheusConventions}) and the JVM binders apply there. Binds nothing
   * when metrics are off.
   */
  @Singleton
  @Bean(preDestroy = "close")
  KafkaClientMeters kafkaClientMeters(HooklineConfiguration shared, @Nullable MeterRegistry registry) {
    return KafkaClientMeters.of(shared, registry);
  }

  /** The schema registry client's meters ({@link SchemaRegistryMeters}); binds nothing without a registry. */
  @Singleton
  MeterBinder schemaRegistryMeters(HooklineConfiguration shared) {
    return new SchemaRegistryMeters(shared.schemaRegistry());
  }
}
