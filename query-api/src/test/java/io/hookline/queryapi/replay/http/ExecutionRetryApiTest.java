package io.hookline.queryapi.replay.http;

import static io.hookline.queryapi.ApiUnderTest.assertNamed;
import static io.hookline.queryapi.ApiUnderTest.error;
import static io.hookline.queryapi.ApiUnderTest.newPortal;
import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static io.hookline.queryapi.FailedExecutionSamples.resolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.queryapi.ApiUnderTest;
import io.hookline.queryapi.TestTokens;
import io.hookline.queryapi.replay.ExecutionRetryService;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.Topic;
import io.hookline.testing.IntegrationTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Retry now and bulk replay as a client sees them: the real application on a random port and a real
 * broker; failed executions written to the dead-letter topic as the dispatcher writes them, and the
 * re-sends read back from {@code hookline.redeliveries} as the dispatcher reads them.
 */
@IntegrationTest
class ExecutionRetryApiTest {

  @RegisterExtension
  static final ApiUnderTest api = ApiUnderTest.perClass();

  private static final ObjectMapper JSON = ApiUnderTest.JSON;
  private static final long T = 1_700_000_000_000L;

  private static String deadLetterTopic;
  private static Topic<String, RetryRequest> redeliveries;
  private static KafkaProducer<String, FailedExecution> producer;
  private static KafkaConsumer<byte[], byte[]> consumer;
  private static final List<RetryRequest> queued = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void readRedeliveries() {
    deadLetterTopic = api.topic("dead-letter");
    redeliveries = api.server().getApplicationContext().getBean(HooklineTopics.class).redeliveries();
    producer = api.producer(FailedExecution.class);
    consumer = new KafkaConsumer<>(api.kafka().broker().clientProps(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(redeliveries.name(), Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  @AfterAll
  static void closeConsumer() {
    if (consumer != null) {
      consumer.close();
    }
  }

  @Test
  void retryNowQueuesAManualReSendOfTheSameExecutionDueNow() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    FailedExecution failure = failed(portal, webhook, "77abe437-5b35-4bf8-be05-52c3cd45bd26", T);
    write(List.of(failure, failed(portal, webhook, "other", T + 1)));
    awaitVisible(portal, webhook, 2);
    long before = System.currentTimeMillis();

    HttpResponse<String> r = post(portal, "/webhooks/" + webhook + "/executions/" + failure.getExecutionId() + "/retry");
    long after = System.currentTimeMillis();

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree(
        "{\"id\":\"77abe437-5b35-4bf8-be05-52c3cd45bd26\",\"attempt\":5,\"queued\":true}"));
    // Acknowledged by the broker before the answer: the record is there at once.
    RetryRequest request = awaitQueued(webhook, 1).get(0);
    assertThat(request.getExecutionId()).isEqualTo(failure.getExecutionId());
    assertThat(request.getWebhookId()).isEqualTo(webhook);
    assertThat(request.getTrigger()).isEqualTo(Trigger.MANUAL);
    assertThat(request.getAttempt()).as("3 retries made, so 4 attempts").isEqualTo(5);
    assertThat(request.getDueAt()).isBetween(before, after);
    assertThat(request.getFirstAttemptAt()).isEqualTo(failure.getFirstExecutionTime());
    assertThat(request.getLastAttemptAt()).isEqualTo(T);
    assertThat(request.getLastHttpStatus()).isEqualTo(400);
    assertThat(request.getLastErrorCode()).isEqualTo("HTTP_ERROR");
    assertThat(request.getEvent()).isEqualTo(failure.getEvent());
  }

  @Test
  void anUnknownResolvedOrOtherWebhooksExecutionIsA404() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    String sibling = api.createWebhook(portal);
    FailedExecution done = failed(portal, webhook, "done", T);
    write(List.of(done, failed(portal, sibling, "siblings", T), failed(portal, webhook, "mine", T + 1)));
    awaitVisible(portal, sibling, 1);
    awaitVisible(portal, webhook, 2);
    write(List.of(resolved(done, T + 2)));
    awaitVisible(portal, webhook, 1);
    String foreign = api.createWebhook(newPortal());

    error(post(portal, "/webhooks/" + webhook + "/executions/no-such-execution/retry"), 404, "EXECUTION_NOT_FOUND");
    error(post(portal, "/webhooks/" + webhook + "/executions/done/retry"), 404, "EXECUTION_NOT_FOUND");
    error(post(portal, "/webhooks/" + webhook + "/executions/siblings/retry"), 404, "EXECUTION_NOT_FOUND");
    error(post(portal, "/webhooks/123456789/executions/mine/retry"), 404, "WEBHOOK_NOT_FOUND");
    error(post(portal, "/webhooks/" + foreign + "/executions/mine/retry"), 404, "WEBHOOK_NOT_FOUND");
    error(post(portal, "/webhooks/" + foreign + "/executions/retry"), 404, "WEBHOOK_NOT_FOUND");
    assertThat(post(portal, "/webhooks/" + webhook + "/executions/mine/retry").statusCode()).isEqualTo(202);
    assertThat(awaitQueued(webhook, 1)).extracting(RetryRequest::getExecutionId).containsExactly("mine");
    assertThat(queuedFor(sibling)).isEmpty();
  }

  @Test
  void bothEndpointsNeedTheUpdateScopeOfThePortal() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    write(List.of(failed(portal, webhook, "x", T)));
    awaitVisible(portal, webhook, 1);
    String one = "/api/v2/" + portal + "/webhooks/" + webhook + "/executions/x/retry";
    String bulk = "/api/v2/" + portal + "/webhooks/" + webhook + "/executions/retry";

    for (String path : List.of(one, bulk)) {
      assertThat(send(path, TestTokens.withScope(portal, "webhooks.READ webhooks.CREATE webhooks.DELETE")).statusCode())
          .as("needs webhooks.UPDATE: %s", path).isEqualTo(403);
      assertThat(send(path, TestTokens.forPortal(newPortal())).statusCode()).as("another portal's token").isEqualTo(403);
      assertThat(send(path, null).statusCode()).isEqualTo(401);
    }
    assertThat(send(one, TestTokens.withScope(portal, "webhooks.UPDATE")).statusCode()).isEqualTo(202);
    assertThat(awaitQueued(webhook, 1)).hasSize(1);
  }

  @Test
  void bulkReplayQueuesExactlyTheMatchingExecutionsOldestFirst() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    write(List.of(
        failed(portal, webhook, "a-created-early", "conversation.created", "1", T - 10_000),
        failed(portal, webhook, "b-created", "conversation.created", "1", T - 3_000),
        failed(portal, webhook, "c-replied", "conversation.operator.replied", "1", T - 2_000),
        failed(portal, webhook, "d-ended", "chat.ended", "1", T - 1_000),
        failed(portal, webhook, "e-created-late", "conversation.created", "1", T + 10_000)));
    awaitVisible(portal, webhook, 5);

    HttpResponse<String> r = post(portal, "/webhooks/" + webhook + "/executions/retry?from_time=" + (T - 5_000)
        + "&to_time=" + java.time.Instant.ofEpochMilli(T) + "&events=conversation.created,chat.ended");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree(
        "{\"queued\":2,\"ids\":[\"b-created\",\"d-ended\"],\"more\":false}"));
    assertThat(awaitQueued(webhook, 2)).allSatisfy(q -> assertThat(q.getTrigger()).isEqualTo(Trigger.MANUAL))
        .extracting(RetryRequest::getExecutionId).containsExactly("b-created", "d-ended");

    HttpResponse<String> none = post(portal, "/webhooks/" + webhook + "/executions/retry?events=no.such.event");
    assertThat(JSON.readTree(none.body()).get("queued").intValue()).isZero();
    HttpResponse<String> all = post(portal, "/webhooks/" + webhook + "/executions/retry");
    assertThat(JSON.readTree(all.body()).get("ids")).extracting(JsonNode::asText)
        .containsExactly("a-created-early", "b-created", "c-replied", "d-ended", "e-created-late");
    assertThat(awaitQueued(webhook, 7)).hasSize(7);
  }

  @Test
  void aBulkReplayReSendsAtMostABatchAndNamesTheToTimeThatSelectsExactlyTheRest() throws Exception {
    String portal = newPortal();
    String webhook = api.createWebhook(portal);
    int max = ExecutionRetryService.MAX_BATCH;
    List<FailedExecution> failures = new ArrayList<>();
    // Newest first: i = 0 is the newest; executions max - 1 and max share one time, across the cut.
    for (int i = 0; i < max + 2; i++) {
      long time = T - (i == max ? max - 1 : i);
      failures.add(failed(portal, webhook, String.format("x%05d", i), time));
    }
    write(failures);
    awaitVisible(portal, webhook, 50);
    await("all " + failures.size() + " in the view").atMost(Duration.ofSeconds(60)).until(() ->
        JSON.readTree(send("/api/v2/" + portal + "/webhooks/" + webhook + "/executions?limit=5&pageno="
            + (failures.size() / 5 + 1), TestTokens.forPortal(portal)).body()).get("data").size() == failures.size() % 5);

    JsonNode first = JSON.readTree(post(portal, "/webhooks/" + webhook + "/executions/retry").body());
    assertThat(first.get("queued").intValue()).isEqualTo(max - 1);
    assertThat(first.get("more").booleanValue()).isTrue();
    assertThat(first.get("next_to_time").asText()).isEqualTo(Long.toString(T - (max - 1)));
    JsonNode rest = JSON.readTree(post(portal, "/webhooks/" + webhook + "/executions/retry?to_time="
        + first.get("next_to_time").asText()).body());
    assertThat(rest.get("queued").intValue()).isEqualTo(3);
    assertThat(rest.get("more").booleanValue()).isFalse();
    assertThat(rest.has("next_to_time")).isFalse();

    List<String> resent = awaitQueued(webhook, max + 2).stream().map(RetryRequest::getExecutionId).toList();
    assertThat(resent).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(failures.stream().map(FailedExecution::getExecutionId).toList());
  }

  @ParameterizedTest
  @MethodSource("io.hookline.queryapi.FailedExecutionSamples#badFilters")
  void aBadFilterIsA400NamingItAndQueuesNothing(String query, String parameter) throws Exception {
    String webhook = badParamsWebhook();
    assertNamed(post(badParamsPortal, "/webhooks/" + webhook + "/executions/retry?" + query), parameter);
    assertThat(queuedFor(webhook)).isEmpty();
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static final String badParamsPortal = ApiUnderTest.newPortal();
  private static String badParamsWebhookId;

  private static synchronized String badParamsWebhook() throws Exception {
    if (badParamsWebhookId == null) {
      badParamsWebhookId = api.createWebhook(badParamsPortal);
      write(List.of(failed(badParamsPortal, badParamsWebhookId, "bad-params", T)));
      awaitVisible(badParamsPortal, badParamsWebhookId, 1);
    }
    return badParamsWebhookId;
  }

  private static void write(List<FailedExecution> failures) throws Exception {
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    for (FailedExecution f : failures) {
      acks.add(producer.send(new ProducerRecord<>(deadLetterTopic, f.getWebhookId(), f)));
    }
    for (Future<RecordMetadata> ack : acks) {
      ack.get(30, TimeUnit.SECONDS);
    }
  }

  private static void awaitVisible(String portal, String webhook, int size) {
    String path = "/api/v2/" + portal + "/webhooks/" + webhook + "/executions";
    api.awaitJson(path, "a page of " + size, p -> p.get("data").size() == size);
  }

  /** Reads what has been queued so far (this test thread is the consumer's only user). */
  private static synchronized List<RetryRequest> queuedFor(String webhook) {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
      RetryRequest request = redeliveries.valueSerde().deserializer().deserialize(r.topic(), r.value());
      assertThat(redeliveries.keySerde().deserializer().deserialize(r.topic(), r.key()))
          .as("keyed by webhook id").isEqualTo(request.getWebhookId());
      queued.add(request);
    }
    return queued.stream().filter(q -> q.getWebhookId().equals(webhook)).toList();
  }

  private static List<RetryRequest> awaitQueued(String webhook, int count) {
    return await("" + count + " re-sends of " + webhook).atMost(Duration.ofSeconds(30))
        .until(() -> queuedFor(webhook), q -> q.size() >= count);
  }

  /** POST {@code /api/v2/{portal}{path}} with a token of the portal with every scope, no body. */
  private static HttpResponse<String> post(String portal, String path) throws Exception {
    return send("/api/v2/" + portal + path, TestTokens.forPortal(portal));
  }

  /** POST to a retry endpoint, GET otherwise. */
  private static HttpResponse<String> send(String path, String token) throws Exception {
    return path.contains("/retry") ? api.post(path, token, null) : api.get(path, token);
  }
}
