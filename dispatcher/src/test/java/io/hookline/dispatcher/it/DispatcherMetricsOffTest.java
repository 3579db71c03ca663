package io.hookline.dispatcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.runtime.management.ManagementServer;
import io.hookline.schemas.EventCodec;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code HOOKLINE_METRICS_ENABLED=false} (for measuring what metrics cost): nothing is counted, no
 * meter registry exists, /metrics answers 404, and the probes and deliveries work as before.
 */
@IntegrationTest
class DispatcherMetricsOffTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void withMetricsOffTheDispatcherDeliversAndAnswersItsProbes() throws Exception {
    try (RunningDispatcher hookline = new RunningDispatcher(KAFKA.broker(), Map.of("hookline.metrics-enabled", false))) {
      assertThat(hookline.context.findBean(MeterRegistry.class)).isEmpty();
      hookline.createWebhook("/off", "metrics.off");
      hookline.publish(EventCodec.toAvro(RunningDispatcher.event("metrics.off")));
      hookline.receiver.awaitRequests("/off", 1, Duration.ofSeconds(15));

      int port = hookline.context.getBean(ManagementServer.class).port();
      HttpClient http = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + port);
      assertThat(http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(404);
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(http.send(
          HttpRequest.newBuilder(base.resolve("/health/readiness")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(200));
    }
  }
}
