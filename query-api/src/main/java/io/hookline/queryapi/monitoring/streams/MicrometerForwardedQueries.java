package io.hookline.queryapi.monitoring.streams;

import io.hookline.queryapi.view.ForwardedQueries;
import io.hookline.runtime.HooklineConfiguration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code hookline_view_forwarded_queries_total{store}}: questions this instance sent to another
 * instance because it holds no usable copy of the key's store partition. A steady rate is normal
 * with several instances; a rise after a deployment means partitions moved.
 */
@Singleton
public class MicrometerForwardedQueries implements ForwardedQueries {

  private final MeterRegistry registry;
  private final Map<String, Counter> byStore = new ConcurrentHashMap<>();

  public MicrometerForwardedQueries(HooklineConfiguration shared, @Nullable MeterRegistry registry) {
    this.registry = shared.isMetricsEnabled() ? registry : null;
    if (this.registry != null) {
      StreamsViewsState.QUERIED_STORES.forEach(this::counter);
    }
  }

  @Override
  public void forwarded(String store) {
    if (registry != null) {
      counter(store).increment();
    }
  }

  private Counter counter(String store) {
    return byStore.computeIfAbsent(store, s -> Counter.builder("hookline.view.forwarded.queries")
        .description("Queries forwarded to the instance that owns (or keeps a standby of) the key's store partition")
        .tag("store", s)
        .register(registry));
  }
}
