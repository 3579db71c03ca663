package io.hookline.retryscheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.TopicSettings;
import io.hookline.runtime.management.ManagementServer;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.PrometheusText;
import io.hookline.testing.Promtool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scheduler's management port: ready once it has its assignment, and its real /metrics text
 * (release counts, transactions, lateness histogram, Kafka client metrics) passes {@code promtool
 * check metrics}.
 */
@IntegrationTest
class SchedulerMetricsEndpointTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private HooklineTopics topics;
  private RetryRecords.Writer writer;
  private SchedulerInstance instance;

  @BeforeEach
  void start() {
    String prefix = KafkaBroker.uniquePrefix();
    topics = new HooklineTopics(TopicSettings.defaults().withPrefix(prefix).withPartitions(2), RetrySchedule.parse("1s"));
    KAFKA.broker().createTopics(topics);
    writer = new RetryRecords.Writer(KAFKA.broker());
    instance = SchedulerInstance.start(KAFKA.broker(), prefix, 2, "1s", prefix + "scheduler", prefix + "scheduler-0");
  }

  @AfterEach
  void stop() {
    instance.close();
    writer.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    int port = instance.context().getBean(ManagementServer.class).port();
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void releasesShowInItsMetricsWhichPromtoolAccepts() throws Exception {
    await().atMost(WAIT).untilAsserted(() -> assertThat(get("/health/readiness").statusCode()).isEqualTo(200));
    assertThat(get("/health/liveness").statusCode()).isEqualTo(200);

    writer.send(topics.retry(Duration.ofSeconds(1)), RetryRecords.request("exec-m", "wh-m", System.currentTimeMillis() + 500));

    await().atMost(WAIT).untilAsserted(() -> {
      PrometheusText m = new PrometheusText(get("/metrics").body());
      assertThat(m.valueOrZero("hookline_retry_records_released_total", Map.of())).isEqualTo(1.0);
      assertThat(m.valueOrZero("hookline_retry_release_lateness_seconds_count", Map.of())).isEqualTo(1.0);
      assertThat(m.valueOrZero("hookline_retry_transactions_total", Map.of("result", "committed"))).isGreaterThanOrEqualTo(1.0);
      assertThat(m.value("hookline_retry_transactions_total", Map.of("result", "aborted"))).hasValue(0.0);
      assertThat(m.value("hookline_retries_pending", Map.of())).hasValue(0.0);
    });
    PrometheusText m = new PrometheusText(get("/metrics").body());
    assertThat(m.value("hookline_retry_release_lateness_seconds_bucket", Map.of("le", "60.0"))).hasValue(1.0);
    assertThat(m.value("hookline_retry_partitions_paused", Map.of())).isPresent();
    assertThat(m.families()).contains("kafka_consumer_fetch_manager_records_consumed_total",
        "kafka_producer_record_send_total", "jvm_memory_used_bytes");
    Promtool.assertValid(m.toString());
  }
}
