package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.Attempt;
import io.hookline.avro.FailedExecution;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Throttling as receivers ask for it, through the real services: a receiver that answers 429 with
 * {@code Retry-After} is left alone for that long and then gets its executions in order, none
 * dead-lettered, no retry used up. One request in flight per webhook, so the order at the receiver
 * is the publish order.
 */
@EndToEndTest
class ThrottlingEndToEndTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String PORTAL = "zylker";

  private static RunningHookline hookline;
  private static WebhookReceiver receiver;
  private static KafkaProducer<String, byte[]> producer;
  private static TopicRecording<String, FailedExecution> deadLetters;
  private static TopicRecording<String, Attempt> attempts;

  @BeforeAll
  static void start() throws Exception {
    receiver = WebhookReceiver.start();
    hookline = RunningHookline.start(KAFKA.broker(), "1s,1s,1s", RunningHookline.logDir("throttling"),
        Map.of("HOOKLINE_MAX_IN_FLIGHT_PER_WEBHOOK", "1"));
    producer = new KafkaProducer<>(KAFKA.broker().clientProps(), new StringSerializer(), new ByteArraySerializer());
    deadLetters = TopicRecording.of(hookline.topics().deadLetter(), KAFKA.broker().clientProps());
    attempts = TopicRecording.of(hookline.topics().attempts(), KAFKA.broker().clientProps());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {attempts, deadLetters, producer, hookline, receiver}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing the rest anyway
      }
    }
  }

  @Test
  void aReceiverAnswering429WithRetryAfterSeesNothingForThatLongThenEveryExecutionInOrder() throws Exception {
    String path = "/throttled/" + UUID.randomUUID();
    // The receiver is busy for 2 s from the first request: everything before then gets 429 Retry-After: 2.
    // The first answer takes 500 ms, so every event below waits in the webhook's lane when the pause starts.
    AtomicReference<Instant> busySince = new AtomicReference<>();
    receiver.respond(path, request -> {
      busySince.compareAndSet(null, request.receivedAt());
      boolean busy = request.receivedAt().isBefore(busySince.get().plusSeconds(2));
      if (!busy) {
        return WebhookReceiver.status(200);
      }
      return new WebhookReceiver.Respond(429, "", request.receivedAt().equals(busySince.get())
          ? Duration.ofMillis(500) : Duration.ZERO, Map.of("Retry-After", "2"));
    });
    String webhookId = EndToEnd.createWebhook(hookline, PORTAL, receiver.url(path), List.of("order.throttled"))
        .get("id").asText();
    List<String> published = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String eventId = "throttled-" + i + "-" + UUID.randomUUID();
      published.add(eventId);
      EndToEnd.publish(producer, hookline, PORTAL, eventId, "order.throttled");
    }

    List<WebhookReceiver.Request> delivered = receiver.awaitRequests(10,
        r -> r.path().equals(path) && busySince.get() != null && !r.receivedAt().isBefore(busySince.get().plusSeconds(2)), Duration.ofSeconds(90));

    List<WebhookReceiver.Request> all = receiver.requests(path);
    List<WebhookReceiver.Request> throttled = all.stream()
        .filter(r -> r.receivedAt().isBefore(busySince.get().plusSeconds(2))).toList();
    assertThat(throttled).as("one 429 paused the webhook: nothing more was sent during the pause").hasSize(1);
    Instant first429 = throttled.get(0).receivedAt();
    assertThat(delivered.get(0).receivedAt()).as("nothing before Retry-After ran out")
        .isAfterOrEqualTo(first429.plusSeconds(2));
    assertThat(delivered).extracting(r -> EndToEnd.read(r.bodyText()).get("id").asText())
        .as("every execution, in publish order, once").containsExactlyElementsOf(published);

    List<Attempt> tried = attempts.await(a -> a.getWebhookId().equals(webhookId), 11, Duration.ofSeconds(30));
    assertThat(tried).filteredOn(a -> a.getHttpStatus() == 429).singleElement().satisfies(a -> {
      assertThat(a.getThrottledUntil()).as("throttled until Retry-After ran out")
          .isBetween(first429.toEpochMilli() + 2_000, first429.toEpochMilli() + 2_000 + 5_000);
      assertThat(a.getAttempt()).isEqualTo(1);
    });
    assertThat(tried).filteredOn(a -> a.getHttpStatus() == 200).extracting(Attempt::getAttempt)
        .as("a throttled attempt uses up no retry").containsOnly(1).hasSize(10);
    assertThat(deadLetters.values(d -> d.getWebhookId().equals(webhookId))).as("none dead-lettered").isEmpty();
  }
}
