package io.hookline.retryscheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.RetryRequest;
import io.hookline.retryscheduler.adapter.in.kafka.RetryScheduler;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.Topic;
import io.hookline.schemas.TopicSettings;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.TopicRecording.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scheduled retries survive rebalances and instances that go away mid-flight: every record is
 * released exactly once (as a read_committed reader sees it), none early, none stranded.
 */
@IntegrationTest
class RetrySchedulerFailoverTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final int PARTITIONS = 4;
  private static final String DELAYS = "1s,2s";

  private final List<AutoCloseable> resources = new ArrayList<>();
  private String prefix;
  private HooklineTopics topics;
  private List<TopicPartition> retryPartitions;
  private RetryRecords.Writer writer;
  private TopicRecording<String, RetryRequest> redeliveries;

  @BeforeEach
  void setUp() {
    prefix = KafkaBroker.uniquePrefix();
    topics = new HooklineTopics(TopicSettings.defaults().withPrefix(prefix).withPartitions(PARTITIONS), RetrySchedule.parse(DELAYS));
    KAFKA.broker().createTopics(topics);
    retryPartitions = new ArrayList<>();
    for (Topic<String, RetryRequest> t : topics.delayedTopics()) {
      for (int p = 0; p < PARTITIONS; p++) {
        retryPartitions.add(new TopicPartition(t.name(), p));
      }
    }
    writer = track(new RetryRecords.Writer(KAFKA.broker()));
    redeliveries = track(TopicRecording.of(topics.redeliveries(), KAFKA.broker().clientProps()));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  private SchedulerInstance startInstance(String transactionalId) {
    return track(SchedulerInstance.start(KAFKA.broker(), prefix, PARTITIONS, DELAYS, prefix + "scheduler", prefix + transactionalId));
  }

  /** Starts an instance and waits until it alone owns every retry partition. */
  private SchedulerInstance startSoleInstance(String transactionalId) {
    SchedulerInstance instance = startInstance(transactionalId);
    awaitOwnsEveryPartition(instance.scheduler());
    return instance;
  }

  private void awaitOwnsEveryPartition(RetryScheduler scheduler) {
    await("owns every retry partition").atMost(Duration.ofSeconds(15))
        .until(() -> scheduler.assignedPartitions().size() == retryPartitions.size());
  }

  /** Starts writing retries that are already due, and waits until the first hundred are released. */
  private Flow flowing() {
    Flow flow = track(new Flow());
    await("released while flowing").atMost(Duration.ofSeconds(10)).until(() -> redeliveries.records().size() >= 100);
    return flow;
  }

  @Test
  void partitionsPausedRevokedAndAssignedBackAreNeitherStrandedNorLostNorDuplicated() {
    RetryScheduler a = startSoleInstance("a").scheduler();

    Set<String> expected = new HashSet<>();
    long firstWaveDue = System.currentTimeMillis() + 8_000;
    sendToEveryPartition("wave1", firstWaveDue, 3, expected);
    await("every partition paused, waiting for its head").atMost(Duration.ofSeconds(5))
        .until(() -> a.heldPartitions().containsAll(retryPartitions));

    SchedulerInstance second = startInstance("b");
    RetryScheduler b = second.scheduler();
    await("the partitions are shared between both instances").atMost(Duration.ofSeconds(15))
        .until(() -> !a.assignedPartitions().isEmpty() && !b.assignedPartitions().isEmpty()
            && union(a.assignedPartitions(), b.assignedPartitions()).equals(new HashSet<>(retryPartitions)));
    await("the new owner holds what it took over until it is due").atMost(Duration.ofSeconds(5))
        .until(() -> b.heldPartitions().equals(b.assignedPartitions()));
    assertThat(redeliveries.records()).as("nothing released before it is due").isEmpty();
    assertThat(a.assignedPartitions()).as("the first instance gave partitions away").hasSizeLessThan(retryPartitions.size());
    await("no timer outlives a revoked partition").atMost(Duration.ofSeconds(5))
        .until(() -> a.assignedPartitions().containsAll(a.heldPartitions()));
    int firstWave = expected.size();
    await("records read by 'a' from a revoked partition are dropped there and read again by 'b'").atMost(Duration.ofSeconds(5))
        .until(() -> a.assignedPartitions().containsAll(a.heldRecords().keySet())
            && b.assignedPartitions().containsAll(b.heldRecords().keySet())
            && heldInMemory(a) + heldInMemory(b) == firstWave);

    second.close();
    awaitOwnsEveryPartition(a);
    // The partitions that came back to 'a' were paused by 'a' before they were revoked.
    sendToEveryPartition("wave2", Math.max(System.currentTimeMillis() + 1_000, firstWaveDue), 2, expected);

    await("every record released, none stranded")
        .atMost(Duration.ofMillis(Math.max(0, firstWaveDue - System.currentTimeMillis()) + 15_000))
        .until(() -> redeliveries.records().size() >= expected.size());
    assertReleasedExactlyOnceAndNeverEarly(expected);
    assertThat(a.isRunning()).isTrue();
    assertThat(a.failure()).isEmpty();
    assertThat(a.heldPartitions()).isEmpty();
  }

  @Test
  void anInstanceClosedWhileRecordsFlowLeavesNothingLostOrDuplicated() throws Exception {
    SchedulerInstance first = startSoleInstance("a");

    try (Flow flow = flowing()) {
      first.close();
      flow.await(200);
      SchedulerInstance second = startInstance("b");
      flow.await(400);
      assertThat(second.scheduler().isRunning()).isTrue();
    }

    assertAllFlowedReleasedExactlyOnce();
  }

  @Test
  void aNewerInstanceWithTheSameTransactionalIdFencesTheOldOneWhichStopsLoudly() throws Exception {
    SchedulerInstance zombie = startSoleInstance("same");

    try (Flow flow = flowing()) {
      SchedulerInstance successor = startInstance("same");
      await("the fenced instance stops").atMost(Duration.ofSeconds(20)).until(() -> !zombie.scheduler().isRunning());
      assertThat(zombie.scheduler().failure()).isPresent();
      assertThat(zombie.scheduler().failure().get()).isInstanceOf(org.apache.kafka.common.KafkaException.class);
      flow.await(flow.sent() + 200);
      assertThat(successor.scheduler().isRunning()).isTrue();
    }

    assertAllFlowedReleasedExactlyOnce();
  }

  private void assertAllFlowedReleasedExactlyOnce() {
    Set<String> expected = flowed;
    await("every record released").atMost(Duration.ofSeconds(30))
        .until(() -> redeliveries.records().stream().map(RetryRecords::executionId).collect(Collectors.toSet()).containsAll(expected));
    assertReleasedExactlyOnceAndNeverEarly(expected);
  }

  private void assertReleasedExactlyOnceAndNeverEarly(Set<String> expected) {
    List<Received<String, RetryRequest>> received = redeliveries.records();
    Map<String, Long> counts = received.stream().collect(Collectors.groupingBy(RetryRecords::executionId, Collectors.counting()));
    assertThat(counts.keySet()).as("released").isEqualTo(expected);
    assertThat(counts).as("released more than once").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
    for (Received<String, RetryRequest> r : received) {
      assertThat(r.raw().timestamp()).as("released no earlier than due").isGreaterThanOrEqualTo(r.value().getDueAt());
    }
  }

  private void sendToEveryPartition(String wave, long dueAt, int perPartition, Set<String> expected) {
    for (Topic<String, RetryRequest> topic : topics.delayedTopics()) {
      for (int p = 0; p < PARTITIONS; p++) {
        for (int i = 0; i < perPartition; i++) {
          String executionId = wave + "-" + topic.name() + "-" + p + "-" + i;
          writer.send(topic, p, RetryRecords.request(executionId, "wh-" + p, dueAt + i));
          expected.add(executionId);
        }
      }
    }
  }

  private static int heldInMemory(RetryScheduler scheduler) {
    return scheduler.heldRecords().values().stream().mapToInt(Integer::intValue).sum();
  }

  private static Set<TopicPartition> union(Set<TopicPartition> a, Set<TopicPartition> b) {
    Set<TopicPartition> all = new HashSet<>(a);
    all.addAll(b);
    assertThat(a).as("no partition owned twice").doesNotContainAnyElementsOf(b);
    return all;
  }

  private final Set<String> flowed = ConcurrentHashMap.newKeySet();

  /** Writes retries that are already due, round robin over every retry partition, until closed. */
  private final class Flow implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread = new Thread(this::run, "retry-flow");

    Flow() {
      thread.start();
    }

    private void run() {
      List<Topic<String, RetryRequest>> retryTopics = topics.delayedTopics();
      Function<Integer, Topic<String, RetryRequest>> topicOf = n -> retryTopics.get(n % retryTopics.size());
      for (int n = 0; running.get(); n++) {
        String executionId = "flow-" + n;
        writer.send(topicOf.apply(n), (n / retryTopics.size()) % PARTITIONS,
            RetryRecords.request(executionId, "wh-" + (n % 17), System.currentTimeMillis()));
        flowed.add(executionId);
      }
    }

    int sent() {
      return flowed.size();
    }

    void await(int atLeast) {
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> flowed.size() >= atLeast);
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }
  }
}
