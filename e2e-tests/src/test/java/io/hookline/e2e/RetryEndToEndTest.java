package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.Attempt;
import io.hookline.avro.AttemptStatus;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retries through the delayed retry topics and the retry-scheduler, then the dead-letter topic,
 * with short delays ({@code 1s,1s,1s}): the same schedule shape as the default, three retries.
 */
class RetryEndToEndTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String PORTAL = "zylker";

  private static RunningHookline hookline;
  private static WebhookReceiver receiver;
  private static KafkaProducer<String, byte[]> producer;
  private static TopicRecords<FailedExecution> deadLetters;
  private static TopicRecords<Attempt> attempts;

  @BeforeAll
  static void start() throws Exception {
    receiver = WebhookReceiver.start();
    hookline = RunningHookline.start(KAFKA.broker(), "1s,1s,1s", RunningHookline.logDir("retry"), Map.of());
    producer = new KafkaProducer<>(KAFKA.broker().clientProps(), new StringSerializer(), new ByteArraySerializer());
    deadLetters = new TopicRecords<>(hookline.topics().deadLetter(), KAFKA.broker().clientProps());
    attempts = new TopicRecords<>(hookline.topics().attempts(), KAFKA.broker().clientProps());
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
  void anExecutionFailingFourTimesBecomesOneDeadLetterAfterThreeRetries() throws Exception {
    String path = "/always-500/" + UUID.randomUUID();
    receiver.answer(path, WebhookReceiver.status(500, "nope"));
    String webhookId = EndToEnd.createWebhook(hookline, PORTAL, receiver.url(path), List.of("order.failed")).get("id").asText();
    String eventId = UUID.randomUUID().toString();
    long published = System.currentTimeMillis();
    EndToEnd.publish(producer, hookline, PORTAL, eventId, "order.failed");

    List<FailedExecution> dead = deadLetters.await(d -> d.getWebhookId().equals(webhookId), 1, Duration.ofSeconds(60));
    FailedExecution d = dead.get(0);
    assertThat(d.getState()).isEqualTo(FailedExecutionState.FAILED);
    assertThat(d.getNumberOfRetries()).isEqualTo(3);
    assertThat(d.getLastHttpStatus()).isEqualTo(500);
    assertThat(d.getErrorCode()).isEqualTo("HTTP_ERROR");
    assertThat(d.getEvent().getId()).isEqualTo(eventId);
    assertThat(d.getEvent().getPayload()).contains(eventId);
    assertThat(d.getPortal()).isEqualTo(PORTAL);
    assertThat(d.getLastExecutionTime()).isGreaterThanOrEqualTo(d.getFirstExecutionTime() + 3_000);

    // Exactly four requests, one webhook-id, each at least one retry delay after the previous one.
    List<WebhookReceiver.Request> requests = receiver.requests(path);
    assertThat(requests).hasSize(4);
    assertThat(requests).extracting(r -> r.header("webhook-id")).containsOnly(d.getExecutionId());
    for (int i = 1; i < requests.size(); i++) {
      assertThat(Duration.between(requests.get(i - 1).receivedAt(), requests.get(i).receivedAt()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }
    assertThat(requests.get(0).receivedAt().toEpochMilli()).isGreaterThanOrEqualTo(published - 1000);
    List<Attempt> tried = attempts.await(a -> a.getExecutionId().equals(d.getExecutionId()), 4, Duration.ofSeconds(10));
    assertThat(tried).extracting(Attempt::getAttempt).containsExactly(1, 2, 3, 4);
    assertThat(tried).extracting(Attempt::getStatus).containsOnly(AttemptStatus.ERROR);
    assertThat(deadLetters.values(x -> x.getWebhookId().equals(webhookId))).hasSize(1);

    // The failed execution as the API serves it, in the Zoho SalesIQ shape.
    String executions = "/api/v2/" + PORTAL + "/webhooks/" + webhookId + "/executions";
    org.awaitility.Awaitility.await("failed execution in the API").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
          var answer = hookline.api("GET", executions, PORTAL, null);
          return answer.statusCode() == 200 && EndToEnd.read(answer.body()).get("data").size() == 1;
        });
    var listed = EndToEnd.read(hookline.api("GET", executions, PORTAL, null).body());
    assertThat(listed.get("object").asText()).isEqualTo("list");
    assertThat(listed.get("sync_time").isTextual()).isTrue();
    var item = listed.get("data").get(0);
    assertThat(item.get("id").asText()).isEqualTo(d.getExecutionId());
    assertThat(item.get("number_of_retries").isInt()).isTrue();
    assertThat(item.get("number_of_retries").asInt()).isEqualTo(3);
    assertThat(item.get("remote_server_status").asInt()).isEqualTo(500);
    assertThat(item.get("event").asText()).isEqualTo("order.failed");
    assertThat(item.get("webhook_id").asText()).isEqualTo(webhookId);
    assertThat(item.get("payload").isObject()).isTrue();
    assertThat(item.get("last_execution_time").asText()).isEqualTo(Long.toString(d.getLastExecutionTime()));

    // What kcat shows of the record without decoding Avro: the key and plain-text headers.
    var raw = deadLetters.records().stream().filter(r -> r.value().getWebhookId().equals(webhookId)).findFirst().orElseThrow().raw();
    assertThat(new String(raw.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(webhookId);
    assertThat(header(raw, io.hookline.schemas.DeadLetterHeaders.EXECUTION_ID)).isEqualTo(d.getExecutionId());
    assertThat(header(raw, io.hookline.schemas.DeadLetterHeaders.ERROR_CODE)).isEqualTo("HTTP_ERROR");
    assertThat(header(raw, io.hookline.schemas.DeadLetterHeaders.HTTP_STATUS)).isEqualTo("500");
    assertThat(header(raw, io.hookline.schemas.DeadLetterHeaders.NUMBER_OF_RETRIES)).isEqualTo("3");
    assertThat(header(raw, io.hookline.schemas.DeadLetterHeaders.EVENT)).isEqualTo("order.failed");
  }

  private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void failFailSucceedIsDeliveredAndNeverDeadLettered() throws Exception {
    String path = "/flaky/" + UUID.randomUUID();
    receiver.script(path, WebhookReceiver.status(503), WebhookReceiver.status(500)).answer(path, WebhookReceiver.status(200));
    String webhookId = EndToEnd.createWebhook(hookline, PORTAL, receiver.url(path), List.of("order.flaky")).get("id").asText();
    EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), "order.flaky");

    List<Attempt> tried = attempts.await(a -> a.getWebhookId().equals(webhookId) && a.getStatus() == AttemptStatus.SENT, 1,
        Duration.ofSeconds(60));
    String executionId = tried.get(0).getExecutionId();
    List<Attempt> all = attempts.values(a -> a.getExecutionId().equals(executionId));
    assertThat(all).extracting(Attempt::getAttempt).containsExactly(1, 2, 3);
    assertThat(all).extracting(Attempt::getHttpStatus).containsExactly(503, 500, 200);
    assertThat(receiver.requests(path)).hasSize(3).extracting(r -> r.header("webhook-id")).containsOnly(executionId);
    // The success is the execution's last outcome: nothing can dead-letter it afterwards.
    assertThat(deadLetters.values(x -> x.getExecutionId().equals(executionId))).isEmpty();
  }
}
