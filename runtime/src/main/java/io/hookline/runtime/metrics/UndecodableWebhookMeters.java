package io.hookline.runtime.metrics;

import io.hookline.runtime.TopicMirror;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of undecodable records on the webhooks topic, the same in every service that follows
 * it: {@code hookline_webhooks_undecodable}, the webhooks whose latest record cannot be decoded now
 * (each keeps its previous version; 0 again once a decodable record replaces it), and
 * {@code hookline_webhook_records_undecodable_total}, every such record read.
 */
public final class UndecodableWebhookMeters {

  private UndecodableWebhookMeters() {}

  public static void bind(MeterRegistry registry, TopicMirror<?> webhooks) {
    Gauge.builder("hookline.webhooks.undecodable", webhooks, m -> m.undecodable().size())
        .description("Webhooks whose latest record on the webhooks topic cannot be decoded; their previous version"
            + " stays in force until a decodable record replaces it")
        .register(registry);
    FunctionCounter.builder("hookline.webhook.records.undecodable", webhooks, TopicMirror::undecodableSeen)
        .description("Undecodable records read from the webhooks topic (read again after a restart)")
        .register(registry);
  }
}
