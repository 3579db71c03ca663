package io.hookline.dispatcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.Webhook;
import io.hookline.runtime.management.ManagementServer;
import io.hookline.schemas.EventCodec;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.PrometheusText;
import io.hookline.testing.Promtool;
import io.hookline.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's management port as Prometheus and an orchestrator use it: the real /metrics
 * text passes {@code promtool check metrics}, a delivery, a failure, a dead letter and an invalid
 * record move their counters, and the probes answer.
 */
@IntegrationTest
class DispatcherMetricsTest extends OneDispatcherPerClass {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(String path) throws Exception {
    int port = hookline.context.getBean(ManagementServer.class).port();
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static PrometheusText metrics() throws Exception {
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    return new PrometheusText(response.body());
  }

  @Test
  void probesAnswerOnTheManagementPort() throws Exception {
    await().atMost(WAIT).untilAsserted(() -> assertThat(get("/health/readiness").statusCode()).isEqualTo(200));
    assertThat(get("/health/readiness").body()).startsWith("{\"status\":\"UP\"");
    assertThat(get("/health/liveness").statusCode()).isEqualTo(200);
    assertThat(get("/api/anything").statusCode()).isEqualTo(404);
  }

  @Test
  void anUndecodableWebhookRecordKeepsThePreviousVersionDeliveringAndIsShownInReadinessAndMetrics() throws Exception {
    Webhook webhook = hookline.createWebhook("/undecodable", "metrics.undecodable");
    hookline.sendRaw(new org.apache.kafka.clients.producer.ProducerRecord<>(hookline.topics.webhooks().name(),
        webhook.getId().getBytes(StandardCharsets.UTF_8), "not a webhook".getBytes(StandardCharsets.UTF_8)));

    await().atMost(WAIT).untilAsserted(() -> assertThat(get("/health/readiness").body())
        .as("ready, but naming the webhook and why").startsWith("{\"status\":\"UP\"")
        .contains("webhooks_degraded").contains(webhook.getId()).contains("UNDECODABLE_AVRO"));
    PrometheusText held = metrics();
    assertThat(held.valueOrZero("hookline_webhooks_undecodable", Map.of())).isEqualTo(1.0);
    assertThat(held.valueOrZero("hookline_webhook_records_undecodable_total", Map.of())).isGreaterThanOrEqualTo(1.0);
    hookline.publish(EventCodec.toAvro(RunningDispatcher.event("metrics.undecodable")));
    await().atMost(WAIT).untilAsserted(() -> assertThat(hookline.receiver.requests("/undecodable"))
        .as("the previous version still delivers").hasSize(1));

    hookline.save(webhook);
    assertThat(get("/health/readiness").body()).doesNotContain("webhooks_degraded");
    assertThat(metrics().valueOrZero("hookline_webhooks_undecodable", Map.of())).isZero();
  }

  @Test
  void deliveriesFailuresDeadLettersAndInvalidRecordsMoveTheirCounters() throws Exception {
    Webhook ok = hookline.createWebhook("/metrics-ok", "metrics.ok");
    Webhook failing = hookline.createWebhook("/metrics-500", "metrics.failing");
    Webhook gone = hookline.createWebhook("/metrics-410", "metrics.gone");
    hookline.receiver.answer("/metrics-500", WebhookReceiver.status(500));
    hookline.receiver.answer("/metrics-410", WebhookReceiver.status(410));
    hookline.publish(EventCodec.toAvro(RunningDispatcher.event("metrics.ok")));
    hookline.publish(EventCodec.toAvro(RunningDispatcher.event("metrics.failing")));
    hookline.publish(EventCodec.toAvro(RunningDispatcher.event("metrics.gone")));
    hookline.publish("not json at all".getBytes(StandardCharsets.UTF_8));

    await().atMost(WAIT).untilAsserted(() -> {
      PrometheusText m = metrics();
      assertThat(m.valueOrZero("hookline_delivery_attempts_total", Map.of("outcome", "DELIVERED", "trigger", "INITIAL")))
          .isEqualTo(1.0);
      assertThat(m.valueOrZero("hookline_delivery_attempts_total", Map.of("outcome", "HTTP_ERROR", "trigger", "INITIAL")))
          .isEqualTo(2.0);
      assertThat(m.valueOrZero("hookline_dead_letters_total", Map.of("reason", "HTTP_ERROR"))).isEqualTo(1.0);
      assertThat(m.valueOrZero("hookline_invalid_records_total", Map.of("reason", "MALFORMED_JSON"))).isEqualTo(1.0);
      assertThat(m.valueOrZero("hookline_delivery_duration_seconds_count", Map.of())).isEqualTo(3.0);
      assertThat(m.valueOrZero("hookline_subscription_gate_hold_seconds_count", Map.of())).isGreaterThanOrEqualTo(1.0);
    });
    PrometheusText m = metrics();
    assertThat(m.value("hookline_delivery_duration_seconds_bucket", Map.of("le", "0.005"))).isPresent();
    assertThat(m.value("hookline_delivery_duration_seconds_bucket", Map.of("le", "5.0"))).isPresent();
    assertThat(m.value("hookline_executions_in_flight", Map.of())).isPresent();
    assertThat(m.value("hookline_breakers_open", Map.of())).hasValue(0.0);
    assertThat(m.families()).contains("kafka_consumer_fetch_manager_records_consumed_total",
        "kafka_producer_record_send_total");
    // Labels are closed sets: no webhook id, no URL.
    assertThat(m.toString()).doesNotContain(ok.getId(), failing.getId(), gone.getId(), "/metrics-ok");
    Promtool.assertValid(m.toString());
  }
}
