package io.hookline.dispatcher.adapter.out.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.Trigger;
import io.hookline.testing.PrometheusText;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The delivery meters: outcome and trigger labels, the duration buckets, and the webhook label only when asked for. */
class MicrometerDeliveryMetricsTest {

  private static final DeliveryOutcome DELIVERED = new DeliveryOutcome.Delivered(200, null);
  private static final DeliveryOutcome TIMED_OUT = DeliveryOutcome.Failed.of(FailureReason.TIMEOUT, "no answer");

  @Test
  void countsAttemptsByOutcomeAndTriggerWithoutAWebhookLabelByDefault() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerDeliveryMetrics metrics = new MicrometerDeliveryMetrics(registry, false);
    metrics.attempted("wh_1", Trigger.INITIAL, DELIVERED, 7_000_000);
    metrics.attempted("wh_2", Trigger.SCHEDULED, TIMED_OUT, 5_000_000_000L);
    metrics.attempted("wh_2", Trigger.SCHEDULED, TIMED_OUT, -1); // not called: no duration

    PrometheusText text = new PrometheusText(registry.scrape());
    assertThat(text.value("hookline_delivery_attempts_total", Map.of("outcome", "DELIVERED", "trigger", "INITIAL")))
        .hasValue(1.0);
    assertThat(text.value("hookline_delivery_attempts_total", Map.of("outcome", "TIMEOUT", "trigger", "SCHEDULED")))
        .hasValue(2.0);
    assertThat(text.value("hookline_delivery_attempts_total", Map.of("outcome", "HTTP_ERROR", "trigger", "MANUAL")))
        .as("every combination exists from the start, at 0").hasValue(0.0);
    assertThat(text.value("hookline_delivery_duration_seconds_count", Map.of())).hasValue(2.0);
    assertThat(text.value("hookline_delivery_duration_seconds_bucket", Map.of("le", "0.01"))).hasValue(1.0);
    assertThat(text.value("hookline_delivery_duration_seconds_bucket", Map.of("le", "5.0"))).hasValue(2.0);
    assertThat(text.toString()).doesNotContain("wh_1", "webhook=");
  }

  @Test
  void perWebhookSeriesOnlyWhenSwitchedOn() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerDeliveryMetrics metrics = new MicrometerDeliveryMetrics(registry, true);
    metrics.attempted("wh_1", Trigger.INITIAL, DELIVERED, 7_000_000);
    metrics.attempted("wh_2", Trigger.INITIAL, DELIVERED, 7_000_000);
    metrics.attempted("wh_2", Trigger.INITIAL, DELIVERED, 7_000_000);

    PrometheusText text = new PrometheusText(registry.scrape());
    assertThat(text.value("hookline_delivery_attempts_total", Map.of("outcome", "DELIVERED", "webhook", "wh_2")))
        .hasValue(2.0);
    assertThat(text.value("hookline_delivery_duration_seconds_count", Map.of("webhook", "wh_1"))).hasValue(1.0);
    assertThat(text.value("hookline_delivery_attempts_total", Map.of("outcome", "DELIVERED"))).hasValue(3.0);
  }
}
