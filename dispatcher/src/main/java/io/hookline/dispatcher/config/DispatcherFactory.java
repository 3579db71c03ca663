package io.hookline.dispatcher.config;

import io.hookline.dispatcher.Dispatcher;
import io.hookline.dispatcher.adapter.out.metrics.MicrometerDeliveryMetrics;
import io.hookline.dispatcher.application.DeliveryMetrics;
import io.hookline.runtime.HooklineConfiguration;
import io.hookline.runtime.management.ManagementServer;
import io.hookline.runtime.management.StartingService;
import io.hookline.runtime.metrics.KafkaClientMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.function.ToDoubleFunction;

/**
 * Starts the dispatcher with the application context and stops it cleanly when the context closes.
 * Its management port (metrics and probes) opens first, so an orchestrator sees "not ready" rather
 * than "not listening" while the dispatcher loads the webhooks.
 */
@Factory
public class DispatcherFactory {

  /** The dispatcher's probes, before and after it started. */
  @Singleton
  static final class StartedDispatcher extends StartingService<Dispatcher> {
    StartedDispatcher() {
      super("creating topics, loading the webhooks and warming up", Dispatcher::readiness, Dispatcher::liveness);
    }
  }

  @Singleton
  @Bean(preDestroy = "close")
  ManagementServer managementServer(DispatcherConfiguration configuration, HooklineConfiguration shared,
      @Nullable PrometheusMeterRegistry registry, StartedDispatcher started) {
    return ManagementServer.start("dispatcher", configuration.getManagementPort(), shared, registry, started);
  }

  @Context
  @Bean(preDestroy = "close")
  public Dispatcher dispatcher(DispatcherConfiguration configuration, HooklineConfiguration shared,
      @Nullable PrometheusMeterRegistry registry, KafkaClientMeters meters, ManagementServer management,
      StartedDispatcher started) {
    // The delivery meters go straight to the Prometheus registry, not through the composite one (hot path).
    boolean metricsOn = shared.isMetricsEnabled() && registry != null;
    DeliveryMetrics metrics = metricsOn
        ? new MicrometerDeliveryMetrics(registry, shared.isMetricsPerWebhook())
        : DeliveryMetrics.NONE;
    Dispatcher dispatcher = Dispatcher.start(configuration.toSettings(shared), configuration.toOperationalSettings(), metrics,
        meters, shared.groupMembership());
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
      dispatcher.bindWebhookMeters(registry);
    }
    return started.started(dispatcher);
  }

  private static void gauge(PrometheusMeterRegistry registry, Dispatcher dispatcher, String name, String description,
      ToDoubleFunction<Dispatcher> value) {
    Gauge.builder(name, dispatcher, value).description(description).register(registry);
  }
}
