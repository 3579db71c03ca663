package io.hookline.dispatcher.config;

import io.hookline.dispatcher.Dispatcher;
import io.hookline.dispatcher.adapter.out.metrics.MicrometerDeliveryMetrics;
import io.hookline.dispatcher.application.DeliveryMetrics;
import io.hookline.runtime.HooklineConfiguration;
import io.hookline.runtime.management.ManagementServer;
import io.hookline.runtime.management.ProbeResult;
import io.hookline.runtime.metrics.KafkaClientMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Starts the dispatcher with the application context and stops it cleanly when the context closes.
 * Its management port (metrics and probes) opens first, so an orchestrator sees "not ready" rather
 * than "not listening" while the dispatcher loads the webhooks.
 */
@Factory
public class DispatcherFactory {

  /** The dispatcher once started; null while it starts. Read by the probes. */
  @Singleton
  static final class StartedDispatcher {
    volatile Dispatcher dispatcher;

    ProbeResult readiness() {
      Dispatcher d = dispatcher;
      return d == null ? ProbeResult.down("starting: creating topics and loading the webhooks") : d.readiness();
    }

    ProbeResult liveness() {
      Dispatcher d = dispatcher;
      return d == null ? ProbeResult.up(Map.of("starting", true)) : d.liveness();
    }
  }

  @Singleton
  @Bean(preDestroy = "close")
  KafkaClientMeters kafkaClientMeters(HooklineConfiguration shared, @Nullable MeterRegistry registry) {
    // Through Micronaut's composite registry: its meter filters (PrometheusConventions) and the JVM
    // binders apply there. The delivery meters go straight to the Prometheus registry (hot path).
    return shared.isMetricsEnabled() && registry != null ? KafkaClientMeters.of(registry) : KafkaClientMeters.none();
  }

  @Singleton
  @Bean(preDestroy = "close")
  ManagementServer managementServer(DispatcherConfiguration configuration, HooklineConfiguration shared,
      @Nullable PrometheusMeterRegistry registry, StartedDispatcher started) {
    boolean metrics = shared.isMetricsEnabled() && registry != null;
    return ManagementServer.start("dispatcher", configuration.getManagementPort(), metrics ? registry::scrape : null,
        started::liveness, started::readiness);
  }

  @Context
  @Bean(preDestroy = "close")
  public Dispatcher dispatcher(DispatcherConfiguration configuration, HooklineConfiguration shared,
      @Nullable PrometheusMeterRegistry registry, KafkaClientMeters meters, ManagementServer management,
      StartedDispatcher started) {
    boolean metricsOn = shared.isMetricsEnabled() && registry != null;
    DeliveryMetrics metrics = metricsOn
        ? new MicrometerDeliveryMetrics(registry, shared.isMetricsPerWebhook())
        : DeliveryMetrics.NONE;
    Dispatcher dispatcher = Dispatcher.start(configuration.toSettings(shared), metrics, meters);
    if (metricsOn) {
      gauge(registry, dispatcher, "hookline.executions.in.flight", "Delivery requests in flight", Dispatcher::inFlight);
      gauge(registry, dispatcher, "hookline.executions.queued",
          "Executions waiting for an in-flight slot in their webhook's lane", Dispatcher::queued);
      gauge(registry, dispatcher, "hookline.input.held",
          "Input records held at the subscription gate until the webhooks copy is current", Dispatcher::heldAtGate);
      gauge(registry, dispatcher, "hookline.breakers.open",
          "Webhooks whose circuit breaker is open or half-open", Dispatcher::breakersOpen);
      gauge(registry, dispatcher, "hookline.input.paused",
          "1 while input is paused because too many executions wait (max-queued)", d -> d.inputPaused() ? 1 : 0);
    }
    started.dispatcher = dispatcher;
    return dispatcher;
  }

  private static void gauge(PrometheusMeterRegistry registry, Dispatcher dispatcher, String name, String description,
      ToDoubleFunction<Dispatcher> value) {
    Gauge.builder(name, dispatcher, value).description(description).register(registry);
  }
}
