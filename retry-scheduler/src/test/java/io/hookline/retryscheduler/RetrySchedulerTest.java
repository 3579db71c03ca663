package io.hookline.retryscheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.RetryRequest;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.InvalidRecordHeaders;
import io.hookline.schemas.ParkedHeaders;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.Topic;
import io.hookline.schemas.TopicSettings;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.TopicRecording.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The scheduler against a real broker: holds, releases on time, unchanged, in order, never blocked. */
@IntegrationTest
class RetrySchedulerTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final int PARTITIONS = 3;
  private static final String DELAYS = "1s,2s";

  private String prefix;
  private HooklineTopics topics;
  private RetryRecords.Writer writer;
  private TopicRecording<String, RetryRequest> redeliveries;
  private SchedulerInstance instance;

  @BeforeEach
  void start() {
    prefix = KafkaBroker.uniquePrefix();
    topics = new HooklineTopics(TopicSettings.defaults().withPrefix(prefix).withPartitions(PARTITIONS), RetrySchedule.parse(DELAYS));
    KAFKA.broker().createTopics(topics);
    writer = new RetryRecords.Writer(KAFKA.broker());
    redeliveries = TopicRecording.of(topics.redeliveries(), KAFKA.broker().clientProps());
    instance = SchedulerInstance.start(KAFKA.broker(), prefix, PARTITIONS, DELAYS, prefix + "scheduler", prefix + "scheduler-0");
  }

  @AfterEach
  void stop() throws InterruptedException {
    instance.close();
    redeliveries.close();
    writer.close();
  }

  @Test
  void holdsARecordUntilItsDueTimeAndReleasesItPromptly() {
    long dueAt = System.currentTimeMillis() + 1_500;
    writer.send(topics.retry(Duration.ofSeconds(1)), RetryRecords.request("exec-1", "wh-1", dueAt));

    await().atMost(Duration.ofSeconds(10)).until(() -> redeliveries.records().size() == 1);

    Received<String, RetryRequest> released = redeliveries.records().get(0);
    assertThat(RetryRecords.executionId(released)).isEqualTo("exec-1");
    assertThat(released.raw().timestamp()).as("written no earlier than due").isGreaterThanOrEqualTo(dueAt);
    assertThat(released.receivedAt()).as("visible no earlier than due").isGreaterThanOrEqualTo(dueAt);
    assertThat(released.receivedAt() - dueAt).as("lateness").isLessThan(1_000);
    assertThat(instance.scheduler().lateness().snapshot().count()).isEqualTo(1);
    assertThat(instance.scheduler().lateness().snapshot().maxMs()).isLessThan(1_000);
  }

  @Test
  void withAReleaseLeadARecordIsHandedOverThatMuchBeforeItsDueTime() {
    instance.close();
    instance = SchedulerInstance.start(KAFKA.broker(), prefix, PARTITIONS, DELAYS, prefix + "scheduler",
        prefix + "scheduler-0", Map.of("hookline.scheduler-release-lead", "2s"));
    long dueAt = System.currentTimeMillis() + 4_000;
    writer.send(topics.retry(Duration.ofSeconds(1)), RetryRecords.request("early-1", "wh-1", dueAt));

    await().atMost(Duration.ofSeconds(10)).until(() -> redeliveries.records().size() == 1);

    Received<String, RetryRequest> released = redeliveries.records().get(0);
    assertThat(released.value().getDueAt()).as("its due time unchanged, for the dispatcher").isEqualTo(dueAt);
    assertThat(released.raw().timestamp()).as("written no earlier than the lead before due")
        .isGreaterThanOrEqualTo(dueAt - 2_000).isLessThan(dueAt);
    assertThat(instance.scheduler().lateness().snapshot().count()).isEqualTo(1);
  }

  @Test
  void executionsTheDispatcherParkedAreReleasedWhenDueWithTheirParkedMark() {
    long dueAt = System.currentTimeMillis() + 1_000;
    writer.send(topics.parked(), RetryRecords.request("parked-1", "wh-1", dueAt),
        new RecordHeader(ParkedHeaders.PARKED, "CIRCUIT_OPEN".getBytes(StandardCharsets.UTF_8)));

    await().atMost(Duration.ofSeconds(10)).until(() -> redeliveries.records().size() == 1);

    Received<String, RetryRequest> released = redeliveries.records().get(0);
    assertThat(RetryRecords.executionId(released)).isEqualTo("parked-1");
    assertThat(released.receivedAt()).as("visible no earlier than due").isGreaterThanOrEqualTo(dueAt);
    assertThat(new String(released.raw().headers().lastHeader(ParkedHeaders.PARKED).value(), StandardCharsets.UTF_8))
        .isEqualTo("CIRCUIT_OPEN");
  }

  @Test
  void aRecordReadBeforeItIsDueWaitsInMemoryAndIsReleasedOnTimeWithoutBeingReadAgain() {
    Topic<String, RetryRequest> topic = topics.retry(Duration.ofSeconds(1));
    long dueAt = System.currentTimeMillis() + 2_000;
    RecordMetadata first = writer.send(topic, 0, RetryRecords.request("held-0", "wh-1", dueAt));
    writer.send(topic, 0, RetryRecords.request("held-1", "wh-1", dueAt + 1));
    writer.send(topic, 0, RetryRecords.request("held-2", "wh-1", dueAt + 2));
    TopicPartition partition = new TopicPartition(first.topic(), first.partition());

    await("read once, held in memory").atMost(Duration.ofSeconds(10))
        .until(() -> Integer.valueOf(3).equals(instance.scheduler().heldRecords().get(partition)));
    assertThat(instance.scheduler().heldPartitions()).contains(partition);
    assertThat(instance.scheduler().recordsRead()).isEqualTo(3);

    await().atMost(Duration.ofSeconds(10)).until(() -> redeliveries.records().size() == 3);

    assertThat(redeliveries.records()).extracting(RetryRecords::executionId).containsExactly("held-0", "held-1", "held-2");
    for (Received<String, RetryRequest> r : redeliveries.records()) {
      assertThat(r.raw().timestamp()).as("written no earlier than due").isGreaterThanOrEqualTo(r.value().getDueAt());
      assertThat(r.receivedAt() - r.value().getDueAt()).as("lateness").isLessThan(1_000);
    }
    assertThat(instance.scheduler().recordsRead()).as("released from memory, never read again").isEqualTo(3);
    await().atMost(Duration.ofSeconds(5)).until(() -> instance.scheduler().heldRecords().isEmpty());
    assertThat(instance.scheduler().heldPartitions()).doesNotContain(partition);
  }

  @Test
  void aPartitionHoldsAtMostOnePollInMemoryWhenItStopsReadingAtTheFirstHeldRecord() throws InterruptedException {
    assertHeldInMemoryAtMost(1, 5, 5);
  }

  @Test
  void aPartitionReadsAheadUpToItsLimitAndNoFurther() throws InterruptedException {
    // Stops reading once it holds 12: the poll that crossed the limit brought at most 5 more.
    assertHeldInMemoryAtMost(12, 5, 12 - 1 + 5);
  }

  private void assertHeldInMemoryAtMost(int readAhead, int maxPollRecords, int bound) throws InterruptedException {
    instance.close();
    instance = SchedulerInstance.start(KAFKA.broker(), prefix, PARTITIONS, DELAYS, prefix + "bounded", prefix + "bounded-0",
        Map.of("hookline.scheduler-read-ahead-records", readAhead, "hookline.scheduler-max-poll-records", maxPollRecords));
    Topic<String, RetryRequest> topic = topics.retry(Duration.ofSeconds(1));
    int count = 40;
    long dueAt = System.currentTimeMillis() + 2_500;
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      writer.send(topic, 0, RetryRecords.request("bounded-" + i, "wh-1", dueAt + i));
      sent.add("bounded-" + i);
    }
    TopicPartition partition = new TopicPartition(topic.name(), 0);

    await("holding what it read").atMost(Duration.ofSeconds(10))
        .until(() -> instance.scheduler().heldRecords().getOrDefault(partition, 0) >= readAhead);
    assertThat(redeliveries.records()).as("nothing released before it is due").isEmpty();

    await().atMost(Duration.ofSeconds(20)).until(() -> redeliveries.records().size() >= count);
    assertThat(redeliveries.records()).extracting(RetryRecords::executionId).as("all, once, in order").isEqualTo(sent);
    assertThat(instance.scheduler().mostRecordsHeldByOnePartition()).as("most records held at once")
        .isLessThanOrEqualTo(bound)
        .isGreaterThanOrEqualTo(readAhead);
    assertThat(instance.scheduler().recordsRead()).as("each record read once").isEqualTo(count);
  }

  @Test
  void forwardsRecordsAlreadyDueAtOnceAndUnchanged() {
    long dueAt = System.currentTimeMillis() - 5_000;
    Map<String, byte[]> sentValues = new HashMap<>();
    Map<String, Integer> sentPartitions = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      Topic<String, RetryRequest> topic = topics.retry(Duration.ofSeconds(i % 2 == 0 ? 1 : 2));
      String executionId = "exec-" + i;
      byte[] value = RetryRecords.SERDE.encode(RetryRecords.request(executionId, "wh-" + (i % 7), dueAt + i));
      RecordMetadata m = writer.send(topic.name(), "wh-" + (i % 7), value,
          new RecordHeader("trace-id", ("trace-" + i).getBytes(StandardCharsets.UTF_8)));
      sentValues.put(executionId, value);
      sentPartitions.put(executionId, m.partition());
    }
    long sentAt = System.currentTimeMillis();

    await().atMost(Duration.ofSeconds(10)).until(() -> redeliveries.records().size() >= 20);

    List<Received<String, RetryRequest>> received = redeliveries.records();
    assertThat(received).hasSize(20);
    for (Received<String, RetryRequest> r : received) {
      String executionId = RetryRecords.executionId(r);
      assertThat(r.raw().value()).as("value bytes of %s", executionId).isEqualTo(sentValues.get(executionId));
      assertThat(r.key()).isEqualTo(r.value().getWebhookId());
      assertThat(r.raw().partition()).as("webhook partition of %s", executionId).isEqualTo(sentPartitions.get(executionId));
      assertThat(new String(r.raw().headers().lastHeader("trace-id").value(), StandardCharsets.UTF_8))
          .isEqualTo("trace-" + executionId.substring("exec-".length()));
      assertThat(r.receivedAt() - sentAt).as("released at once").isLessThan(3_000);
    }
  }

  @Test
  void aPartitionWaitingAnHourHoldsBackNoOtherPartitionOrRetryTopic() {
    Topic<String, RetryRequest> oneSecond = topics.retry(Duration.ofSeconds(1));
    Topic<String, RetryRequest> twoSeconds = topics.retry(Duration.ofSeconds(2));
    long now = System.currentTimeMillis();
    RecordMetadata far = writer.send(oneSecond, RetryRecords.request("far", "wh-far", now + 3_600_000));
    TopicPartition waiting = new TopicPartition(far.topic(), far.partition());
    await().atMost(Duration.ofSeconds(10)).until(() -> instance.scheduler().heldPartitions().contains(waiting));

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String webhook = "wh-" + i;
      RecordMetadata m = writer.send(i % 2 == 0 ? oneSecond : twoSeconds, RetryRecords.request("due-" + i, webhook, now - 1));
      if (m.topic().equals(waiting.topic()) && m.partition() == waiting.partition()) {
        continue; // queued behind the waiting head: order within a partition is kept
      }
      expected.add("due-" + i);
    }
    assertThat(expected).as("records on other partitions of both retry topics").hasSizeGreaterThan(15);

    await().atMost(Duration.ofSeconds(5)).until(() -> redeliveries.records().stream().map(RetryRecords::executionId).toList()
        .containsAll(expected));
    assertThat(redeliveries.records()).extracting(RetryRecords::executionId).doesNotContain("far");
    assertThat(instance.scheduler().heldPartitions()).contains(waiting);
  }

  @Test
  void keepsTheOrderOfEachPartition() {
    Topic<String, RetryRequest> topic = topics.retry(Duration.ofSeconds(1));
    long start = System.currentTimeMillis();
    Map<String, List<String>> sentByWebhook = new HashMap<>();
    int count = 150;
    for (int i = 0; i < count; i++) {
      String webhook = "wh-" + (i % 5);
      String executionId = webhook + "-" + i;
      // Due times grow along each partition, from already due to 1.2 s ahead.
      writer.send(topic, RetryRecords.request(executionId, webhook, start - 200 + i * 10L));
      sentByWebhook.computeIfAbsent(webhook, k -> new ArrayList<>()).add(executionId);
    }

    await().atMost(Duration.ofSeconds(15)).until(() -> redeliveries.records().size() >= count);

    Map<String, List<String>> receivedByWebhook = new HashMap<>();
    for (Received<String, RetryRequest> r : redeliveries.records()) {
      receivedByWebhook.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(RetryRecords.executionId(r));
      assertThat(r.raw().timestamp()).isGreaterThanOrEqualTo(r.value().getDueAt());
    }
    assertThat(receivedByWebhook).isEqualTo(sentByWebhook);
  }

  @Test
  void aTransactionThatCannotCommitIsAbortedAndItsRecordsReleasedAgainExactlyOnce() throws Exception {
    ConfigResource redeliveriesTopic = new ConfigResource(ConfigResource.Type.TOPIC, topics.redeliveries().name());
    try (Admin admin = KAFKA.broker().admin()) {
      // The broker now refuses every released record (but still takes the small transaction
      // markers): the transaction cannot commit.
      alter(admin, redeliveriesTopic, new AlterConfigOp(new ConfigEntry("max.message.bytes", "160"), AlterConfigOp.OpType.SET));
      // The broker applies a topic config change a moment after the admin call returns; records
      // released before that would be accepted, so wait until the broker reports the new limit.
      await("broker applies the limit").atMost(Duration.ofSeconds(15)).until(() ->
          "160".equals(admin.describeConfigs(List.of(redeliveriesTopic)).all().get(10, TimeUnit.SECONDS)
              .get(redeliveriesTopic).get("max.message.bytes").value()));
      long dueAt = System.currentTimeMillis() - 1;
      for (int i = 0; i < 5; i++) {
        writer.send(topics.retry(Duration.ofSeconds(1)), RetryRecords.request("exec-" + i, "wh-" + i, dueAt));
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> instance.scheduler().abortedTransactions() >= 2);
      assertThat(redeliveries.records()).as("nothing of an aborted transaction is visible").isEmpty();

      alter(admin, redeliveriesTopic, new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE));
    }

    await().atMost(Duration.ofSeconds(15)).until(() -> redeliveries.records().size() >= 5);
    assertThat(redeliveries.records()).extracting(RetryRecords::executionId)
        .containsExactlyInAnyOrder("exec-0", "exec-1", "exec-2", "exec-3", "exec-4");
    assertThat(instance.scheduler().isRunning()).isTrue();
    assertThat(instance.scheduler().lateness().snapshot().count()).isEqualTo(5);
  }

  private static void alter(Admin admin, ConfigResource resource, AlterConfigOp op) throws Exception {
    admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRecordThatIsNotARetryRequestGoesToTheInvalidTopicAndThePartitionMovesOn() throws InterruptedException {
    Topic<String, RetryRequest> topic = topics.retry(Duration.ofSeconds(1));
    try (TopicRecording<byte[], byte[]> invalid = TopicRecording.of(topics.eventsInvalid(), KAFKA.broker().clientProps())) {
      writer.send(topic.name(), "wh-1", "not avro".getBytes(StandardCharsets.UTF_8));
      writer.send(topic, RetryRecords.request("after-garbage", "wh-1", System.currentTimeMillis() - 1));

      await().atMost(Duration.ofSeconds(10)).until(() -> redeliveries.records().size() == 1 && invalid.records().size() == 1);

      assertThat(RetryRecords.executionId(redeliveries.records().get(0))).isEqualTo("after-garbage");
      var refused = invalid.records().get(0).raw();
      assertThat(refused.value()).isEqualTo("not avro".getBytes(StandardCharsets.UTF_8));
      assertThat(refused.key()).isEqualTo("wh-1".getBytes(StandardCharsets.UTF_8));
      assertThat(new String(refused.headers().lastHeader(InvalidRecordHeaders.REASON).value(), StandardCharsets.UTF_8))
          .isEqualTo("UNDECODABLE_AVRO");
      assertThat(new String(refused.headers().lastHeader(InvalidRecordHeaders.SOURCE_TOPIC).value(), StandardCharsets.UTF_8))
          .isEqualTo(topic.name());
      assertThat(instance.scheduler().invalidRecords()).isEqualTo(1);
      assertThat(instance.scheduler().isRunning()).isTrue();
    }
  }
}
