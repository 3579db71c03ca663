package io.hookline.queryapi.live.kafka;

import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.live.CollectingClient;
import io.hookline.queryapi.live.LiveFailureStreams;
import io.hookline.queryapi.live.StreamPosition;
import io.hookline.schemas.AvroSerde;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.Topic;
import io.hookline.schemas.TopicSettings;
import io.hookline.testing.IntegrationTest;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.KafkaBrokerExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live tail and the reader of the gap against a real broker: only committed transactions are
 * read, a partition added to the topic is found and read from its beginning, and a resumed stream
 * gets the gap from Kafka.
 */
@IntegrationTest
class DeadLetterTailTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration PARTITION_CHECK = Duration.ofMillis(200);

  private Topic<String, FailedExecution> topic;
  private LiveFailureStreams streams;
  private DeadLetterTail tail;
  private KafkaProducer<String, FailedExecution> producer;

  @BeforeEach
  void start() {
    HooklineTopics topics = new HooklineTopics(TopicSettings.defaults().withPrefix(KafkaBroker.uniquePrefix())
        .withPartitions(1), RetrySchedule.defaults());
    topic = topics.deadLetter();
    KAFKA.broker().createTopics(topics);
    KAFKA.broker().awaitLeaders(List.of(topic.name()), WAIT);
    Map<String, Object> props = KAFKA.broker().clientProps();
    streams = new LiveFailureStreams(10, 100, Duration.ofHours(1),
        new KafkaFailureLogReader(topic, props, Duration.ofDays(3650), Clock.systemUTC()));
    tail = new DeadLetterTail(topic, props, streams, WAIT, PARTITION_CHECK);
    Map<String, Object> producerProps = new HashMap<>(props);
    producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "live-test-" + UUID.randomUUID());
    producer = new KafkaProducer<>(producerProps, new StringSerializer(), AvroSerde.of(FailedExecution.class).serializer());
    producer.initTransactions();
  }

  @AfterEach
  void stop() {
    producer.close();
    tail.close();
    streams.close();
  }

  private void writeInTransaction(Integer partition, String executionId, boolean commit) {
    producer.beginTransaction();
    FailedExecution f = failed("p", "w", executionId, 1L);
    producer.send(new ProducerRecord<>(topic.name(), partition, "w", f));
    producer.flush();
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.abortTransaction();
    }
  }

  private CollectingClient subscribe(StreamPosition from) {
    CollectingClient client = new CollectingClient();
    streams.open("p", from).subscribe(client);
    return client.takeAll();
  }

  @Test
  void onlyCommittedFailuresAreStreamedAndAResumeReadsTheGapFromKafka() {
    CollectingClient client = subscribe(null);

    writeInTransaction(0, "aborted", false);
    writeInTransaction(0, "committed", true);

    // Offsets: 0 aborted, 1 its abort marker, 2 committed, 3 its commit marker.
    await().atMost(WAIT).until(() -> client.items.size() >= 2);
    assertThat(client.items).containsExactly("@0", "committed@3");

    writeInTransaction(0, "later", true);
    CollectingClient resumed = subscribe(StreamPosition.of(0));
    await().atMost(WAIT).until(() -> resumed.items.size() >= 3);
    assertThat(resumed.items).containsExactly("@0", "committed@3", "later@5");
  }

  @Test
  void aPartitionAddedToTheTopicIsReadFromItsBeginning() throws Exception {
    CollectingClient client = subscribe(null);
    try (Admin admin = KAFKA.broker().admin()) {
      admin.createPartitions(Map.of(topic.name(), NewPartitions.increaseTo(2))).all().get();
    }
    KAFKA.broker().awaitLeaders(List.of(topic.name()), WAIT);

    writeInTransaction(1, "in-the-new-partition", true);

    await().atMost(WAIT).until(() -> client.items.size() >= 2);
    assertThat(client.items).containsExactly("@0", "in-the-new-partition@0.1");
  }
}
