package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.FailedExecution;
import io.hookline.schemas.RetrySchedule;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real default schedule, as the Zoho reference states it: retried 1 minute later, three times,
 * then a failed execution. Takes a little over three minutes, nearly all of it waiting for the
 * timer; tagged slow, runs in CI, and runs beside the busy and the waiting end-to-end classes
 * ({@link Lanes}).
 */
@Tag("slow")
@EndToEndTest
@Lanes.Free
class DefaultScheduleEndToEndTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void failingEndpointIsRetriedEveryMinuteThreeTimesThenDeadLettered() throws Exception {
    Map<String, String> defaults = Map.of("HOOKLINE_RETRY_DELAYS", RetrySchedule.DEFAULT_DELAYS);
    try (WebhookReceiver receiver = WebhookReceiver.start();
        RunningHookline hookline = RunningHookline.start(KAFKA.broker(), RetrySchedule.DEFAULT_DELAYS, RunningHookline.logDir("default-schedule"), defaults);
        var producer = new KafkaProducer<>(KAFKA.broker().clientProps(), new StringSerializer(), new ByteArraySerializer());
        var deadLetters = TopicRecording.of(hookline.topics().deadLetter(), KAFKA.broker().clientProps())) {
      receiver.answer("/down", WebhookReceiver.status(500));
      String webhookId = EndToEnd.createWebhook(hookline, "zylker", receiver.url("/down"), List.of("conversation.created")).get("id").asText();
      EndToEnd.publish(producer, hookline, "zylker", UUID.randomUUID().toString(), "conversation.created");

      List<FailedExecution> dead = deadLetters.await(d -> d.getWebhookId().equals(webhookId), 1, Duration.ofMinutes(5));
      assertThat(dead.get(0).getNumberOfRetries()).isEqualTo(3);
      List<WebhookReceiver.Request> requests = receiver.requests("/down");
      assertThat(requests).hasSize(4);
      for (int i = 1; i < 4; i++) {
        Duration gap = Duration.between(requests.get(i - 1).receivedAt(), requests.get(i).receivedAt());
        assertThat(gap).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(65));
      }
    }
  }
}
