package io.hookline.runtime.metrics;

import io.hookline.schemas.SchemaRegistryClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The meters of the schema registry client, in every service that uses one:
 * {@code hookline_schema_registry_failures_total}, calls that failed after their retries (each one
 * stopped a write or a read), and {@code hookline_schema_registry_up}, 0 while the last call failed.
 * Without a registry nothing is registered.
 */
final class SchemaRegistryMeters implements MeterBinder {

  private final SchemaRegistryClient client;

  SchemaRegistryMeters(SchemaRegistryClient client) {
    this.client = client;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    if (client == null) {
      return;
    }
    FunctionCounter.builder("hookline.schema.registry.failures", client, SchemaRegistryClient::failures)
        .description("Schema registry calls that failed after their retries (the write or read they served failed)")
        .register(registry);
    Gauge.builder("hookline.schema.registry.up", client, c -> c.lastFailure() == null ? 1 : 0)
        .description("1 while the schema registry's last call succeeded, 0 after a failed one")
        .register(registry);
  }
}
