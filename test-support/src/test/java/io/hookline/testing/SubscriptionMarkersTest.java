package io.hookline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.runtime.SubscriptionMarkers;
import io.hookline.schemas.SubscriptionMarkerHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Subscription markers against a real broker: a mark completes only once every partition of every
 * input topic holds a marker (header, no value), partitions added since the last round get theirs,
 * and a burst of marks shares rounds.
 */
@IntegrationTest
class SubscriptionMarkersTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void aMarkCompletesOnceEveryPartitionHoldsAMarkerAndNewPartitionsGetOneInTheNextRound() throws Exception {
    String prefix = KafkaBroker.uniquePrefix();
    List<String> topics = List.of(prefix + "events", prefix + "redeliveries");
    try (Admin admin = KAFKA.broker().admin();
        KafkaProducer<byte[], byte[]> producer = producer();
        SubscriptionMarkers markers = new SubscriptionMarkers(producer, admin, topics, "test-writer", TIMEOUT)) {
      admin.createTopics(List.of(new NewTopic(topics.get(0), 3, (short) 1), new NewTopic(topics.get(1), 2, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);

      markers.markAndWait(TIMEOUT);

      Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> read = readAll(topics);
      assertThat(read).hasSize(5);
      read.forEach((tp, records) -> {
        assertThat(records).as("records on %s", tp).hasSize(1);
        ConsumerRecord<byte[], byte[]> marker = records.get(0);
        assertThat(marker.value()).as("a marker's value").isNull();
        assertThat(SubscriptionMarkerHeaders.marks(marker.headers())).isTrue();
        assertThat(new String(marker.headers().lastHeader(SubscriptionMarkerHeaders.CHANGED).value(),
            StandardCharsets.UTF_8)).isEqualTo("test-writer");
      });

      admin.createPartitions(Map.of(topics.get(0), NewPartitions.increaseTo(4))).all().get(30, TimeUnit.SECONDS);
      markers.markAndWait(TIMEOUT);

      Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> again = readAll(topics);
      assertThat(again).hasSize(6);
      assertThat(again.get(new TopicPartition(topics.get(0), 3))).as("the added partition").hasSize(1);
      again.forEach((tp, records) -> assertThat(records).as("records on %s", tp).isNotEmpty());
    }
  }

  @Test
  void marksMadeWhileARoundIsUnderWayShareTheNextRound() throws Exception {
    String prefix = KafkaBroker.uniquePrefix();
    List<String> topics = List.of(prefix + "events");
    try (Admin admin = KAFKA.broker().admin();
        KafkaProducer<byte[], byte[]> producer = producer();
        SubscriptionMarkers markers = new SubscriptionMarkers(producer, admin, topics, "test-writer", TIMEOUT)) {
      admin.createTopics(List.of(new NewTopic(topics.get(0), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);

      int marks = 100;
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < marks; i++) {
        done.add(markers.mark());
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

      int rounds = readAll(topics).get(new TopicPartition(topics.get(0), 0)).size();
      assertThat(rounds).as("rounds written for %d marks", marks).isBetween(1, marks / 2);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> props = KAFKA.broker().clientProps();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Every committed record of {@code topics}, by partition (every partition present, empty or not). */
  private static Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> readAll(List<String> topics) {
    Map<String, Object> props = KAFKA.broker().clientProps();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> out = new HashMap<>();
      partitions.forEach(tp -> out.put(tp, new ArrayList<>()));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("reading %s to its end", topics).isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.get(new TopicPartition(r.topic(), r.partition())).add(r));
      }
      return out;
    }
  }
}
