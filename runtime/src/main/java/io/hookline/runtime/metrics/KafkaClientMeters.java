package io.hookline.runtime.metrics;

import io.hookline.runtime.HooklineConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Binds the Kafka clients a service creates to its meter registry with Micrometer's Kafka binders
 * ({@link KafkaClientMetrics}): every metric the client itself keeps
 * (records consumed, consumer lag per partition as {@code kafka_consumer_fetch_manager_records_lag},
 * request latency, ...), tagged with its {@code client_id}. The binders look for metrics the client
 * added (a newly assigned partition) once a minute, on one shared daemon thread.
 *
 * <p>{@link #none()} binds nothing (metrics off). {@link #close()} removes the binders' meters.
 * Thread-safe.
 */
public final class KafkaClientMeters implements AutoCloseable {

  private static final KafkaClientMeters NONE = new KafkaClientMeters(null);

  private final MeterRegistry registry;
  private final List<KafkaClientMetrics> bound = new ArrayList<>();
  private ScheduledExecutorService refresh;

  private KafkaClientMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  public static KafkaClientMeters of(MeterRegistry registry) {
    return new KafkaClientMeters(registry);
  }

  /** Bound to {@code registry}, or {@link #none()} when metrics are off or there is no registry. */
  public static KafkaClientMeters of(HooklineConfiguration shared, MeterRegistry registry) {
    return shared.isMetricsEnabled() && registry != null ? of(registry) : none();
  }

  public static KafkaClientMeters none() {
    return NONE;
  }

  public <C extends Consumer<?, ?>> C consumer(C consumer) {
    if (registry != null) {
      bind(new KafkaClientMetrics(consumer, List.<Tag>of(), scheduler()));
    }
    return consumer;
  }

  public <P extends Producer<?, ?>> P producer(P producer) {
    if (registry != null) {
      bind(new KafkaClientMetrics(producer, List.<Tag>of(), scheduler()));
    }
    return producer;
  }

  public <A extends Admin> A admin(A admin) {
    if (registry != null && admin instanceof AdminClient client) {
      bind(new KafkaClientMetrics(client, List.<Tag>of(), scheduler()));
    }
    return admin;
  }

  private synchronized ScheduledExecutorService scheduler() {
    if (refresh == null) {
      refresh = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kafka-client-meters");
        t.setDaemon(true);
        return t;
      });
    }
    return refresh;
  }

  private synchronized void bind(KafkaClientMetrics binder) {
    binder.bindTo(registry);
    bound.add(binder);
  }

  @Override
  public synchronized void close() {
    bound.forEach(KafkaClientMetrics::close);
    bound.clear();
    if (refresh != null) {
      refresh.shutdownNow();
      refresh = null;
    }
  }
}
