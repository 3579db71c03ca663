package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.FailedExecution;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.PrometheusText;
import io.hookline.testing.Promtool;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metrics of the three services as Prometheus scrapes them from the real processes: a
 * delivery, a failure, a retry delivered, and an execution failing for good move the right
 * counters in the dispatcher and the retry-scheduler, and every service's /metrics passes {@code
 * promtool check metrics}; every service becomes ready. The consumer lag per input partition comes
 * from Micrometer's Kafka binder, and every metric the Grafana dashboard queries is one the
 * services really serve.
 */
@EndToEndTest
@Lanes.Waiting
class MetricsEndToEndTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String PORTAL = "zylker";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static RunningHookline hookline;
  private static WebhookReceiver receiver;
  private static KafkaProducer<String, byte[]> producer;
  private static TopicRecording<String, FailedExecution> deadLetters;

  @BeforeAll
  static void start() throws Exception {
    receiver = WebhookReceiver.start();
    hookline = RunningHookline.start(KAFKA.broker(), "1s,1s", RunningHookline.logDir("metrics"), Map.of());
    producer = new KafkaProducer<>(KAFKA.broker().clientProps(), new StringSerializer(), new ByteArraySerializer());
    deadLetters = TopicRecording.of(hookline.topics().deadLetter(), KAFKA.broker().clientProps());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {deadLetters, producer, hookline, receiver}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing the rest anyway
      }
    }
  }

  private static PrometheusText metrics(String service) throws Exception {
    var response = hookline.monitoring(service, "/metrics");
    assertThat(response.statusCode()).as(service + " /metrics").isEqualTo(200);
    return new PrometheusText(response.body());
  }

  private static double attempts(PrometheusText m, String outcome, String trigger) {
    return m.valueOrZero("hookline_delivery_attempts_total", Map.of("outcome", outcome, "trigger", trigger));
  }

  @Test
  void deliveriesFailuresRetriesAndDeadLettersMoveTheCountersOfRealServices() throws Exception {
    hookline.awaitReady(WAIT);
    String ok = "/ok/" + UUID.randomUUID();
    String flaky = "/flaky/" + UUID.randomUUID();
    String dead = "/dead/" + UUID.randomUUID();
    receiver.script(flaky, WebhookReceiver.status(500));
    receiver.answer(dead, WebhookReceiver.status(503));
    EndToEnd.createWebhook(hookline, PORTAL, receiver.url(ok), List.of("metrics.ok"));
    EndToEnd.createWebhook(hookline, PORTAL, receiver.url(flaky), List.of("metrics.flaky"));
    String deadId = EndToEnd.createWebhook(hookline, PORTAL, receiver.url(dead), List.of("metrics.dead")).get("id").asText();
    EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), "metrics.ok");
    EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), "metrics.flaky");
    EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), "metrics.dead");
    deadLetters.await(d -> d.getWebhookId().equals(deadId), 1, WAIT);

    await().atMost(WAIT).untilAsserted(() -> {
      PrometheusText d = metrics(RunningHookline.DISPATCHER);
      assertThat(attempts(d, "DELIVERED", "INITIAL")).as("ok").isEqualTo(1.0);
      assertThat(attempts(d, "HTTP_ERROR", "INITIAL")).as("flaky and dead, first attempts").isEqualTo(2.0);
      assertThat(attempts(d, "DELIVERED", "SCHEDULED")).as("flaky's retry").isEqualTo(1.0);
      assertThat(attempts(d, "HTTP_ERROR", "SCHEDULED")).as("dead's two retries").isEqualTo(2.0);
      assertThat(d.valueOrZero("hookline_dead_letters_total", Map.of("reason", "HTTP_ERROR"))).isEqualTo(1.0);
      assertThat(d.valueOrZero("hookline_delivery_duration_seconds_count", Map.of())).isEqualTo(6.0);

      PrometheusText s = metrics(RunningHookline.SCHEDULER);
      assertThat(s.valueOrZero("hookline_retry_records_released_total", Map.of())).isEqualTo(3.0);
      assertThat(s.valueOrZero("hookline_retry_release_lateness_seconds_count", Map.of())).isEqualTo(3.0);
      assertThat(s.valueOrZero("hookline_retry_transactions_total", Map.of("result", "committed")))
          .isGreaterThanOrEqualTo(1.0);
      assertThat(s.value("hookline_retries_pending", Map.of())).hasValue(0.0);
    });

    for (String service : new String[] {RunningHookline.DISPATCHER, RunningHookline.SCHEDULER, RunningHookline.QUERY_API}) {
      PrometheusText m = metrics(service);
      assertThat(m.families()).as(service).contains("jvm_memory_used_bytes");
      assertThat(m.toString()).as(service + ": no webhook id in a label").doesNotContain(deadId);
      Promtool.assertValid(m.toString());
      assertThat(hookline.monitoring(service, "/health/liveness").statusCode()).as(service + " alive").isEqualTo(200);
    }
  }

  @Test
  void theDispatcherReportsItsLagPerInputPartitionAndTheDashboardQueriesOnlyServedMetrics() throws Exception {
    hookline.awaitReady(WAIT);
    String events = hookline.topics().events().name();
    // The Kafka binder picks up a newly assigned partition's metrics within a minute.
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
        assertThat(metrics(RunningHookline.DISPATCHER)
            .value("kafka_consumer_fetch_manager_records_lag", Map.of("topic", events, "partition", "0")))
            .isPresent());

    Set<String> served = new TreeSet<>();
    for (String service : new String[] {RunningHookline.DISPATCHER, RunningHookline.SCHEDULER, RunningHookline.QUERY_API}) {
      served.addAll(metrics(service).sampleNames());
    }
    JsonNode dashboard = EndToEnd.read(Files.readString(repositoryRoot().resolve("deploy/grafana/hookline-dashboard.json")));
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        Matcher names = METRIC_NAME.matcher(target.get("expr").asText());
        while (names.find()) {
          queried.add(names.group());
        }
      }
    }
    assertThat(queried).contains("hookline_delivery_attempts_total", "hookline_delivery_duration_seconds_bucket",
        "kafka_consumer_fetch_manager_records_lag", "hookline_breakers_open",
        "hookline_retry_release_lateness_seconds_bucket", "hookline_dead_letters_total");
    assertThat(served).as("metrics the services serve").containsAll(queried);
  }

  private static final Pattern METRIC_NAME = Pattern.compile("\\b(hookline|kafka|http|jvm|process)_[a-z0-9_]+\\b");

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("deploy/grafana"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no deploy/grafana above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
