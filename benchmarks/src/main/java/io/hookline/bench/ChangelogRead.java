package io.hookline.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The restore baseline: a plain consumer (no group, {@code read_committed} as Kafka Streams restores
 * under exactly-once, client defaults otherwise) reading the view's changelog topics from the
 * beginning to their end offsets, doing nothing with the records. What a restore cannot beat.
 */
final class ChangelogRead {

  /** How long reading took, and how many records and bytes it read. */
  record Result(Duration took, long records, long bytes) {}

  private ChangelogRead() {}

  static Result readAll(String bootstrapServers, List<String> topics) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    long start = System.nanoTime();
    long records = 0;
    long bytes = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        for (PartitionInfo p : consumer.partitionsFor(topic)) {
          partitions.add(new TopicPartition(topic, p.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          records++;
          bytes += (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
        }
      }
    }
    return new Result(Duration.ofNanos(System.nanoTime() - start), records, bytes);
  }
}
