package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.avro.Attempt;
import io.hookline.avro.AttemptStatus;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;
import io.hookline.avro.Trigger;
import io.hookline.testing.EndToEndTest;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retries through the delayed retry topics and the retry-scheduler, then the dead-letter topic,
 * with short delays ({@code 1s,1s,1s}): the same schedule shape as the default, three retries; the
 * reference page's sample response reproduced through the whole pipeline and the API. Then
 * "retry now" and bulk replay of the failed executions through the API, on the same running services.
 */
@EndToEndTest
@Lanes.Waiting
class RetryEndToEndTest {

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
    hookline = RunningHookline.start(KAFKA.broker(), "1s,1s,1s", RunningHookline.logDir("retry"), Map.of());
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

  /**
   * The three failed executions of the Zoho SalesIQ reference page's sample response, reproduced by
   * publishing the same three events to a webhook whose receiver answers 400: every field of every
   * item has the sample's name, position, JSON type and value, except the three the system
   * generates (the execution id, the webhook id and the last execution time), whose format and
   * relations are checked instead. The one field we add is {@code error}.
   */
  @Test
  void theReferenceSampleIsReproducedFieldForField() throws Exception {
    JsonNode sample = EndToEnd.read(new String(
        RetryEndToEndTest.class.getResourceAsStream("/zoho-salesiq-failed-executions-sample.json").readAllBytes(),
        StandardCharsets.UTF_8));
    List<JsonNode> expected = new ArrayList<>();
    sample.get("data").forEach(expected::add);
    String path = "/always-400/" + UUID.randomUUID();
    receiver.answer(path, WebhookReceiver.status(400, "bad request"));
    String webhookId = EndToEnd.createWebhook(hookline, PORTAL, receiver.url(path),
        List.of("conversation.operator.replied")).get("id").asText();
    long testStart = System.currentTimeMillis();

    // Oldest first, each one dead-lettered before the next is published, so that the page lists
    // them newest first in the sample's order.
    List<String> executionIds = new ArrayList<>();
    for (int i = expected.size() - 1; i >= 0; i--) {
      JsonNode item = expected.get(i);
      String eventId = UUID.randomUUID().toString();
      ObjectNode event = EndToEnd.JSON.createObjectNode();
      event.put("id", eventId);
      event.put("portal", PORTAL);
      for (String field : List.of("app_id", "event", "entity", "entity_id", "entity_label", "payload")) {
        event.set(field, item.get(field));
      }
      producer.send(new ProducerRecord<>(hookline.topics().events().name(), PORTAL,
          EndToEnd.JSON.writeValueAsBytes(event))).get();
      String executionId = UUID.nameUUIDFromBytes((eventId + "/" + webhookId).getBytes(StandardCharsets.UTF_8)).toString();
      deadLetters.await(d -> d.getExecutionId().equals(executionId), 1, Duration.ofSeconds(60));
      executionIds.add(0, executionId);
    }

    String executions = "/api/v2/" + PORTAL + "/webhooks/" + webhookId + "/executions";
    String query = "?pageno=1&limit=10&events=conversation.created,conversation.operator.replied";
    org.awaitility.Awaitility.await("the three executions in the API").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
          var answer = hookline.api("GET", executions + query, PORTAL, null);
          return answer.statusCode() == 200 && EndToEnd.read(answer.body()).get("data").size() == 3;
        });
    JsonNode page = EndToEnd.read(hookline.api("GET", executions + query, PORTAL, null).body());

    // The sample's own query, echoed as sent; its events filter excludes the sample's own items.
    String sampleQuery = sample.get("url").asText().substring(sample.get("url").asText().indexOf('?'));
    JsonNode filteredOut = EndToEnd.read(hookline.api("GET", executions + sampleQuery, PORTAL, null).body());
    assertThat(filteredOut.get("url").asText()).isEqualTo(executions + sampleQuery)
        .endsWith("?pageno=1&limit=10&events=conversation.created,conversation.ended");
    assertThat(filteredOut.get("data").isArray()).isTrue();
    assertThat(filteredOut.get("data")).isEmpty();
    long testEnd = System.currentTimeMillis();

    // The reference's fields in its order, then Hookline's paging additions (cursors and links).
    List<String> zohoThenPaging = new ArrayList<>(fieldNames(sample));
    zohoThenPaging.addAll(List.of("next_cursor", "previous_cursor", "next", "previous"));
    assertThat(fieldNames(page)).containsExactlyElementsOf(zohoThenPaging);
    assertThat(page.get("url").asText()).isEqualTo(executions + query);
    assertThat(page.get("object")).isEqualTo(sample.get("object"));
    assertThat(page.get("sync_time").isTextual()).isTrue();
    assertThat(Long.parseLong(page.get("sync_time").asText())).isBetween(testStart, testEnd);
    assertThat(page.get("data")).hasSize(expected.size());

    long newer = Long.MAX_VALUE;
    for (int i = 0; i < expected.size(); i++) {
      JsonNode want = expected.get(i);
      JsonNode got = page.get("data").get(i);
      List<String> names = new ArrayList<>(fieldNames(want));
      names.add("error");
      assertThat(fieldNames(got)).as("fields of item %d", i).containsExactlyElementsOf(names);
      for (String field : fieldNames(want)) {
        assertThat(got.get(field).getNodeType()).as("JSON type of %s in item %d", field, i)
            .isEqualTo(want.get(field).getNodeType());
        if (!List.of("id", "webhook_id", "last_execution_time").contains(field)) {
          assertThat(got.get(field)).as("%s of item %d", field, i).isEqualTo(want.get(field));
        }
      }
      // The payload exactly as published: same keys in the same order, same value types.
      assertThat(EndToEnd.JSON.writeValueAsString(got.get("payload")))
          .isEqualTo(EndToEnd.JSON.writeValueAsString(want.get("payload")));
      assertThat(got.get("id").asText()).isEqualTo(executionIds.get(i))
          .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
      assertThat(got.get("webhook_id").asText()).isEqualTo(webhookId).matches("\\d+");
      assertThat(got.get("last_execution_time").asText()).matches("\\d{13}");
      long last = Long.parseLong(got.get("last_execution_time").asText());
      assertThat(last).isBetween(testStart, testEnd).isLessThan(newer);
      newer = last;
      assertThat(got.get("error")).isEqualTo(EndToEnd.read("{\"code\":\"HTTP_ERROR\",\"message\":\"HTTP 400\"}"));
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
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

  @Test
  void retryNowReSendsTheSameExecutionWhichThenLeavesTheFailedView() throws Exception {
    String path = "/down-then-up/" + UUID.randomUUID();
    receiver.answer(path, WebhookReceiver.status(500));
    String webhookId = EndToEnd.createWebhook(hookline, PORTAL, receiver.url(path), List.of("order.retried")).get("id").asText();
    EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), "order.retried");
    FailedExecution failed = deadLetters.await(d -> d.getWebhookId().equals(webhookId), 1, Duration.ofSeconds(60)).get(0);
    String executions = "/api/v2/" + PORTAL + "/webhooks/" + webhookId + "/executions";
    awaitFailedIds(executions, List.of(failed.getExecutionId()));
    receiver.answer(path, WebhookReceiver.status(200));

    var answer = hookline.api("POST", executions + "/" + failed.getExecutionId() + "/retry", PORTAL, null);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    assertThat(EndToEnd.read(answer.body()).get("queued").asBoolean()).isTrue();
    List<WebhookReceiver.Request> requests = receiver.awaitRequests(path, 5, Duration.ofSeconds(30));
    assertThat(requests).hasSize(5).extracting(r -> r.header("webhook-id")).containsOnly(failed.getExecutionId());
    Attempt manual = attempts.await(a -> a.getExecutionId().equals(failed.getExecutionId()) && a.getAttempt() == 5, 1,
        Duration.ofSeconds(30)).get(0);
    assertThat(manual.getTrigger()).isEqualTo(Trigger.MANUAL);
    assertThat(manual.getStatus()).isEqualTo(AttemptStatus.SENT);
    assertThat(manual.getHttpStatus()).isEqualTo(200);
    assertThat(attempts.values(a -> a.getExecutionId().equals(failed.getExecutionId())))
        .extracting(Attempt::getTrigger)
        .containsExactly(Trigger.INITIAL, Trigger.SCHEDULED, Trigger.SCHEDULED, Trigger.SCHEDULED, Trigger.MANUAL);
    awaitFailedIds(executions, List.of());
    assertThat(deadLetters.values(d -> d.getExecutionId().equals(failed.getExecutionId())))
        .extracting(FailedExecution::getState).containsExactly(FailedExecutionState.FAILED, FailedExecutionState.RESOLVED);

    // The attempt log keeps the whole history, newest first, the manual re-send told apart.
    String log = "/api/v2/" + PORTAL + "/webhooks/" + webhookId + "/attempts";
    org.awaitility.Awaitility.await("attempt log in the API").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
          var listed = hookline.api("GET", log, PORTAL, null);
          return listed.statusCode() == 200 && EndToEnd.read(listed.body()).get("pagination").get("total").asInt() == 5;
        });
    var history = EndToEnd.read(hookline.api("GET", log + "?order=-created_at", PORTAL, null).body()).get("data");
    List<String> triggers = new java.util.ArrayList<>();
    history.forEach(a -> triggers.add(a.get("attempt").asInt() + ":" + a.get("trigger").asText() + ":"
        + a.get("status").asText()));
    assertThat(triggers).containsExactly("5:MANUAL:SENT", "4:SCHEDULED:ERROR", "3:SCHEDULED:ERROR",
        "2:SCHEDULED:ERROR", "1:INITIAL:ERROR");
    var manualInLog = history.get(0);
    assertThat(manualInLog.get("execution_id").asText()).isEqualTo(failed.getExecutionId());
    assertThat(manualInLog.get("http_status").asInt()).isEqualTo(200);
    var errors = EndToEnd.read(hookline.api("GET", log + "?status=ERROR&limit=2", PORTAL, null).body());
    assertThat(errors.get("pagination").get("total").asInt()).isEqualTo(4);
    var rest = EndToEnd.read(hookline.api("GET", errors.get("next").asText(), PORTAL, null).body());
    assertThat(rest.get("data")).extracting(a -> a.get("attempt").asInt()).containsExactly(2, 1);
  }

  @Test
  void aReSendThatFailsAgainStaysFailedWithOneRetryMoreAndIsNotRetriedOnSchedule() throws Exception {
    // 410 Gone ends the execution at its first attempt, with all three scheduled retries unused;
    // the manual re-send that then fails must not start them.
    String path = "/gone-then-down/" + UUID.randomUUID();
    receiver.script(path, WebhookReceiver.status(410)).answer(path, WebhookReceiver.status(503));
    String webhookId = EndToEnd.createWebhook(hookline, PORTAL, receiver.url(path), List.of("order.stuck")).get("id").asText();
    EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), "order.stuck");
    FailedExecution failed = deadLetters.await(d -> d.getWebhookId().equals(webhookId), 1, Duration.ofSeconds(60)).get(0);
    assertThat(failed.getNumberOfRetries()).isZero();
    String executions = "/api/v2/" + PORTAL + "/webhooks/" + webhookId + "/executions";
    awaitFailedIds(executions, List.of(failed.getExecutionId()));
    // The 410 also disabled the webhook; enabled again, its failed execution can be re-sent.
    String resource = "/api/v2/" + PORTAL + "/webhooks/" + webhookId;
    org.awaitility.Awaitility.await("webhook disabled by the 410").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !EndToEnd.read(hookline.api("GET", resource, PORTAL, null).body()).get("enabled").asBoolean());
    assertThat(hookline.api("PATCH", resource, PORTAL, "{\"enabled\":true}").statusCode()).isEqualTo(200);

    var answer = hookline.api("POST", executions + "/" + failed.getExecutionId() + "/retry", PORTAL, null);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    FailedExecution again = deadLetters.await(d -> d.getExecutionId().equals(failed.getExecutionId()), 2,
        Duration.ofSeconds(30)).get(1);
    assertThat(again.getState()).isEqualTo(FailedExecutionState.FAILED);
    assertThat(again.getNumberOfRetries()).isEqualTo(1);
    assertThat(again.getLastHttpStatus()).isEqualTo(503);
    assertThat(again.getFirstExecutionTime()).isEqualTo(failed.getFirstExecutionTime());
    assertThat(again.getLastExecutionTime()).isGreaterThan(failed.getLastExecutionTime());
    // The attempt and the dead letter are on different topics, read by different consumers: wait
    // for the attempt too rather than assume it was read first.
    assertThat(attempts.await(a -> a.getExecutionId().equals(failed.getExecutionId()), 2, Duration.ofSeconds(30)))
        .extracting(Attempt::getAttempt, Attempt::getTrigger)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, Trigger.INITIAL), org.assertj.core.groups.Tuple.tuple(2, Trigger.MANUAL));
    assertThat(receiver.requests(path)).hasSize(2).extracting(r -> r.header("webhook-id"))
        .containsOnly(failed.getExecutionId());
    var item = org.awaitility.Awaitility.await("the failed execution with 1 retry").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .until(() -> EndToEnd.read(hookline.api("GET", executions, PORTAL, null).body()).get("data").get(0),
            i -> i.get("number_of_retries").asInt() == 1);
    assertThat(item.get("id").asText()).isEqualTo(failed.getExecutionId());
    assertThat(item.get("remote_server_status").asInt()).isEqualTo(503);
    assertThat(item.get("last_execution_time").asText()).isEqualTo(Long.toString(again.getLastExecutionTime()));
  }

  @Test
  void bulkReplayReSendsExactlyTheExecutionsMatchingTheTimeRangeAndEvents() throws Exception {
    String path = "/bulk/" + UUID.randomUUID();
    receiver.answer(path, WebhookReceiver.status(500));
    String webhookId = EndToEnd.createWebhook(hookline, PORTAL, receiver.url(path), List.of("order.a", "order.b"))
        .get("id").asText();
    // Two order.a and one order.b fail first; a later order.a fails after them.
    for (String event : List.of("order.a", "order.a", "order.b")) {
      EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), event);
    }
    List<FailedExecution> early = deadLetters.await(d -> d.getWebhookId().equals(webhookId), 3, Duration.ofSeconds(60));
    EndToEnd.publish(producer, hookline, PORTAL, UUID.randomUUID().toString(), "order.a");
    FailedExecution late = deadLetters.await(d -> d.getWebhookId().equals(webhookId), 4, Duration.ofSeconds(60)).get(3);
    long toTime = early.stream().mapToLong(FailedExecution::getLastExecutionTime).max().orElseThrow();
    assertThat(late.getLastExecutionTime()).isGreaterThan(toTime);
    List<String> matching = early.stream().filter(d -> d.getEvent().getEvent().equals("order.a"))
        .sorted(Comparator.comparingLong(FailedExecution::getLastExecutionTime)).map(FailedExecution::getExecutionId).toList();
    String otherEvent = early.stream().filter(d -> d.getEvent().getEvent().equals("order.b")).findFirst().orElseThrow()
        .getExecutionId();
    String executions = "/api/v2/" + PORTAL + "/webhooks/" + webhookId + "/executions";
    awaitFailedIds(executions, List.of(late.getExecutionId(), matching.get(0), matching.get(1), otherEvent));
    receiver.answer(path, WebhookReceiver.status(200));

    var answer = hookline.api("POST", executions + "/retry?to_time=" + toTime + "&events=order.a", PORTAL, null);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    var body = EndToEnd.read(answer.body());
    assertThat(body.get("queued").asInt()).isEqualTo(2);
    assertThat(body.get("ids")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
        .containsExactlyInAnyOrderElementsOf(matching);
    receiver.awaitRequests(path, 4 * 4 + 2, Duration.ofSeconds(30));
    awaitFailedIds(executions, List.of(late.getExecutionId(), otherEvent));
    for (String id : matching) {
      assertThat(receiver.requests(path)).filteredOn(r -> id.equals(r.header("webhook-id"))).hasSize(5);
      assertThat(attempts.await(a -> a.getExecutionId().equals(id), 5, Duration.ofSeconds(30))).last()
          .satisfies(a -> assertThat(a.getTrigger()).isEqualTo(Trigger.MANUAL))
          .satisfies(a -> assertThat(a.getStatus()).isEqualTo(AttemptStatus.SENT));
    }
    for (String id : List.of(late.getExecutionId(), otherEvent)) {
      assertThat(receiver.requests(path)).filteredOn(r -> id.equals(r.header("webhook-id"))).hasSize(4);
    }
  }

  /** Waits until the API lists exactly these failed executions of the webhook, in any order. */
  private static void awaitFailedIds(String executions, List<String> ids) {
    org.awaitility.Awaitility.await("failed executions " + ids).atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
          var answer = hookline.api("GET", executions, PORTAL, null);
          if (answer.statusCode() != 200) {
            return false;
          }
          List<String> listed = new java.util.ArrayList<>();
          EndToEnd.read(answer.body()).get("data").forEach(i -> listed.add(i.get("id").asText()));
          return listed.size() == ids.size() && listed.containsAll(ids);
        });
  }
}
