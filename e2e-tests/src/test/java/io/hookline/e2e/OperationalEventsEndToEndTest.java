package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.OperationalEvent;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Operational events as operators get them: on the operational topic and as signed webhooks at the
 * operator's URL. A breaker that opens and closes says endpoint.failing then endpoint.recovered; a
 * 410 disables the webhook (visible with its reason in the API) and says endpoint.disabled; a dead
 * letter says execution.exhausted with its id; changes through the API say webhook.created,
 * .updated, .deleted. One retry of 1 s and a breaker of 2 failures open for 2 s keep it short.
 */
@EndToEndTest
@Lanes.Waiting
class OperationalEventsEndToEndTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String PORTAL = "zylker";
  private static final String OPERATOR = "/operator";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static String operatorSecret;
  private static RunningHookline hookline;
  private static WebhookReceiver receiver;
  private static KafkaProducer<String, byte[]> producer;
  private static TopicRecording<String, OperationalEvent> operational;
  private static TopicRecording<String, FailedExecution> deadLetters;

  @BeforeAll
  static void start() throws Exception {
    byte[] key = new byte[24];
    new SecureRandom().nextBytes(key);
    operatorSecret = "whsec_" + Base64.getEncoder().encodeToString(key);
    receiver = WebhookReceiver.start();
    hookline = RunningHookline.start(KAFKA.broker(), "1s", RunningHookline.logDir("operational"), Map.of(
        "HOOKLINE_OPERATIONAL_WEBHOOK_URL", receiver.url(OPERATOR),
        "HOOKLINE_OPERATIONAL_WEBHOOK_SECRET", operatorSecret,
        "HOOKLINE_BREAKER_FAILURE_THRESHOLD", "2"));
    producer = new KafkaProducer<>(KAFKA.broker().clientProps(), new StringSerializer(), new ByteArraySerializer());
    operational = TopicRecording.of(hookline.topics().operational(), KAFKA.broker().clientProps());
    deadLetters = TopicRecording.of(hookline.topics().deadLetter(), KAFKA.broker().clientProps());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {deadLetters, operational, producer, hookline, receiver}) {
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
  void aBreakerThatOpensAndClosesSaysFailingThenRecovered() throws Exception {
    String path = "/refusing/" + UUID.randomUUID();
    receiver.answer(path, WebhookReceiver.closeConnection());
    String webhookId = createWebhook(path, "order.unreachable");
    publish("order.unreachable");
    publish("order.unreachable");

    OperationalEvent failing = awaitEvent(webhookId, "endpoint.failing");
    assertThat(failing.getConsecutiveFailures()).isEqualTo(2);
    assertThat(failing.getUrl()).isEqualTo(receiver.url(path));
    assertThat(failing.getPortal()).isEqualTo(PORTAL);
    receiver.answer(path, WebhookReceiver.status(200));

    OperationalEvent recovered = awaitEvent(webhookId, "endpoint.recovered");
    assertThat(recovered.getOccurredAt()).isGreaterThanOrEqualTo(failing.getOccurredAt());
    assertThat(typesOf(webhookId)).containsSubsequence("webhook.created", "endpoint.failing", "endpoint.recovered");
    assertOperatorReceived(webhookId);
  }

  @Test
  void a410DisablesTheWebhookWithItsReasonUntilItIsEnabledAgain() throws Exception {
    String webhookId = publishedTo(WebhookReceiver.status(410), "order.gone");

    FailedExecution dead = deadLetters.awaitOne(d -> d.getWebhookId().equals(webhookId), WAIT);
    OperationalEvent disabled = awaitEvent(webhookId, "endpoint.disabled");
    assertThat(disabled.getHttpStatus()).isEqualTo(410);
    assertThat(disabled.getReason()).contains("410 Gone");
    assertThat(disabled.getFailedExecutionId()).isEqualTo(dead.getExecutionId());
    assertThat(disabled.getEnabled()).isFalse();
    JsonNode shown = Awaitility.await("webhook disabled in the API").atMost(WAIT).pollInterval(Duration.ofMillis(100))
        .until(() -> webhook(webhookId), w -> !w.get("enabled").asBoolean());
    assertThat(shown.get("disabled_reason").asText()).contains("410 Gone");

    var enabled = hookline.api("PATCH", "/api/v2/" + PORTAL + "/webhooks/" + webhookId, PORTAL, "{\"enabled\":true}");

    assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
    assertThat(EndToEnd.read(enabled.body()).get("disabled_reason").isNull()).isTrue();
    assertThat(webhook(webhookId).get("enabled").asBoolean()).isTrue();
    OperationalEvent updated = awaitEvent(webhookId, "webhook.updated");
    assertThat(updated.getEnabled()).isTrue();
    assertThat(updated.getReason()).contains("enabled");
    assertOperatorReceived(webhookId);
  }

  @Test
  void anExhaustedExecutionSaysSoWithItsId() throws Exception {
    String webhookId = publishedTo(WebhookReceiver.status(500), "order.failed");

    FailedExecution dead = deadLetters.awaitOne(d -> d.getWebhookId().equals(webhookId), WAIT);
    OperationalEvent exhausted = awaitEvent(webhookId, "execution.exhausted");
    assertThat(exhausted.getFailedExecutionId()).isEqualTo(dead.getExecutionId());
    assertThat(exhausted.getNumberOfRetries()).isEqualTo(1);
    assertThat(exhausted.getHttpStatus()).isEqualTo(500);
    assertThat(exhausted.getErrorCode()).isEqualTo("HTTP_ERROR");
    assertThat(operational.values(e -> e.getWebhookId().equals(webhookId))).extracting(OperationalEvent::getType)
        .doesNotContain("endpoint.disabled", "endpoint.failing");
    assertOperatorReceived(webhookId);
  }

  @Test
  void changesThroughTheApiSayCreatedUpdatedDeleted() throws Exception {
    String webhookId = createWebhook("/changed/" + UUID.randomUUID(), "order.changed");
    String resource = "/api/v2/" + PORTAL + "/webhooks/" + webhookId;
    assertThat(hookline.api("PATCH", resource, PORTAL, "{\"events\":[\"order.changed\",\"order.more\"]}").statusCode())
        .isEqualTo(200);
    assertThat(hookline.api("DELETE", resource, PORTAL, null).statusCode()).isEqualTo(204);

    List<OperationalEvent> events = operational.await(e -> e.getWebhookId().equals(webhookId), 3, WAIT);

    assertThat(events).extracting(OperationalEvent::getType)
        .containsExactly("webhook.created", "webhook.updated", "webhook.deleted");
    assertThat(events.get(0).getEnabled()).isTrue();
    assertThat(events.get(1).getReason()).isEqualTo("changed: events");
    assertThat(events).extracting(OperationalEvent::getPortal).containsOnly(PORTAL);
    assertThat(events).extracting(OperationalEvent::getId).doesNotHaveDuplicates();
    assertOperatorReceived(webhookId);
  }

  /** Every event of the webhook on the topic reached the operator URL once, as JSON signed with the operator's secret. */
  private static void assertOperatorReceived(String webhookId) {
    List<OperationalEvent> events = operational.values(e -> e.getWebhookId().equals(webhookId));
    assertThat(events).isNotEmpty();
    for (OperationalEvent event : events) {
      WebhookReceiver.Request request = Awaitility.await("operator got " + event.getType()).atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> receiver.requests(OPERATOR).stream()
              .filter(r -> event.getId().equals(r.header("webhook-id"))).findFirst().orElse(null),
              r -> r != null);
      assertThatCode(() -> new com.standardwebhooks.Webhook(operatorSecret).verify(request.bodyText(), request.headers()))
          .as("signature of %s", event.getType()).doesNotThrowAnyException();
      JsonNode body = EndToEnd.read(request.bodyText());
      assertThat(body.get("id").asText()).isEqualTo(event.getId());
      assertThat(body.get("type").asText()).isEqualTo(event.getType());
      assertThat(body.get("webhook_id").asText()).isEqualTo(webhookId);
      assertThat(body.get("occurred_at").asLong()).isEqualTo(event.getOccurredAt());
    }
  }

  private static OperationalEvent awaitEvent(String webhookId, String type) {
    return operational.awaitOne(e -> e.getWebhookId().equals(webhookId) && e.getType().equals(type), WAIT);
  }

  /** A new webhook whose endpoint answers {@code answer}, subscribed to {@code event}, which is then published once. */
  private static String publishedTo(WebhookReceiver.Behavior answer, String event) throws Exception {
    String path = "/" + event + "/" + UUID.randomUUID();
    receiver.answer(path, answer);
    String webhookId = createWebhook(path, event);
    publish(event);
    return webhookId;
  }

  private static List<String> typesOf(String webhookId) {
    return operational.values(e -> e.getWebhookId().equals(webhookId)).stream().map(OperationalEvent::getType).toList();
  }

  private static String createWebhook(String path, String event) throws Exception {
    return EndToEnd.createWebhook(hookline, PORTAL, receiver.url(path), List.of(event)).get("id").asText();
  }

  private static void publish(String event) throws Exception {
    EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), event);
  }

  private static JsonNode webhook(String webhookId) throws Exception {
    var answer = hookline.api("GET", "/api/v2/" + PORTAL + "/webhooks/" + webhookId, PORTAL, null);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return EndToEnd.read(answer.body());
  }
}
