package io.hookline.dispatcher.it;

import static io.hookline.testing.WebhookReceiver.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.OperationalEvent;
import io.hookline.avro.Webhook;
import io.hookline.schemas.EventCodec;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The disable-after clock against a real broker: a webhook whose deliveries all fail has the start
 * of its streak stored on its record, then is disabled once the period has passed, by a
 * read-modify-write that keeps everything the API wrote; a delivery clears the stored streak.
 * Disable-after is 3 s (the streak is stored after 300 ms); retries are written but not relayed here.
 */
@IntegrationTest
class DispatcherEndpointLifecycleTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  static final Duration WAIT = Duration.ofSeconds(30);
  static final long DISABLE_AFTER_MS = 3_000;

  static RunningDispatcher hookline;
  static TopicRecording<String, Webhook> webhooks;
  static TopicRecording<String, OperationalEvent> operational;

  @BeforeAll
  static void start() {
    hookline = new RunningDispatcher(KAFKA.broker(), Map.of("hookline.disable-after", "3s"));
    webhooks = TopicRecording.of(hookline.topics.webhooks(), KAFKA.broker().clientProps());
    operational = TopicRecording.of(hookline.topics.operational(), KAFKA.broker().clientProps());
  }

  @AfterAll
  static void stop() {
    operational.close();
    webhooks.close();
    hookline.close();
  }

  @Test
  void failingForThePeriodStoresTheStreakThenDisablesKeepingWhatTheApiWrote() {
    Webhook original = hookline.createWebhook("/down", "down.event");
    hookline.receiver.answer("/down", status(500));

    Webhook streak = publishUntil(original.getId(), "down.event", w -> w.getFailingSince() != null);
    long since = streak.getFailingSince();
    List<io.hookline.avro.Attempt> tried = hookline.attemptsOf(original.getId());
    assertThat(since).isBetween(tried.get(0).getCreatedAt(), tried.get(1).getCreatedAt());
    assertThat(streak.getEnabled()).isTrue();
    assertThat(streak.getUpdatedAt()).as("not a change anyone made").isEqualTo(original.getUpdatedAt());

    Webhook disabled = publishUntil(original.getId(), "down.event", w -> !w.getEnabled());

    assertThat(disabled.getDisabledReason()).contains("every delivery failed since");
    assertThat(disabled.getFailingSince()).isNull();
    assertThat(disabled.getUrl()).isEqualTo(original.getUrl());
    assertThat(disabled.getEvents()).isEqualTo(original.getEvents());
    assertThat(disabled.getSecrets()).isEqualTo(original.getSecrets());
    assertThat(disabled.getCreatedAt()).isEqualTo(original.getCreatedAt());
    OperationalEvent event = operational.awaitOne(
        e -> e.getWebhookId().equals(original.getId()) && e.getType().equals("endpoint.disabled"), WAIT);
    assertThat(event.getFailingSince()).isEqualTo(since);
    assertThat(event.getOccurredAt() - since).isGreaterThanOrEqualTo(DISABLE_AFTER_MS);
    assertThat(event.getHttpStatus()).isEqualTo(500);
    assertThat(event.getFailedExecutionId()).isEqualTo(hookline.attemptsOf(original.getId())
        .get(hookline.attemptsOf(original.getId()).size() - 1).getExecutionId());
  }

  @Test
  void aDeliveryClearsTheStoredStreak() {
    Webhook original = hookline.createWebhook("/flaky", "flaky.event");
    hookline.receiver.answer("/flaky", status(503));
    publishUntil(original.getId(), "flaky.event", w -> w.getFailingSince() != null);
    hookline.receiver.answer("/flaky", status(200));

    Webhook cleared = publishUntil(original.getId(), "flaky.event", w -> w.getFailingSince() == null);

    assertThat(cleared.getEnabled()).isTrue();
    assertThat(operational.values(e -> e.getWebhookId().equals(original.getId()))).extracting(OperationalEvent::getType)
        .doesNotContain("endpoint.disabled");
  }

  /**
   * Publishes events for the webhook, each once the previous one was attempted, until its stored
   * value satisfies {@code done} (a disabled webhook is no longer attempted: that ends it too).
   */
  private static Webhook publishUntil(String webhookId, String event, java.util.function.Predicate<Webhook> done) {
    return await("webhook " + webhookId).atMost(WAIT).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          if (done.test(latest(webhookId))) {
            return latest(webhookId);
          }
          int before = hookline.attemptsOf(webhookId).size();
          hookline.publish(EventCodec.toAvro(RunningDispatcher.event(event)));
          await("an attempt").atMost(WAIT)
              .until(() -> hookline.attemptsOf(webhookId).size() > before || done.test(latest(webhookId)));
          return latest(webhookId);
        }, done::test);
  }

  private static Webhook latest(String webhookId) {
    List<Webhook> written = webhooks.values(w -> w != null && w.getId().equals(webhookId));
    return written.get(written.size() - 1);
  }
}
