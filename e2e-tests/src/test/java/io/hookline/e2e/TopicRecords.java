package io.hookline.e2e;

import io.hookline.schemas.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;

/**
 * Everything written to one topic, read from the beginning by a background consumer with no group
 * (read_committed, as Hookline's own consumers read), decoded with the topic's serdes.
 */
final class TopicRecords<V> implements AutoCloseable {

  /** A decoded record. */
  record Rec<V>(String key, V value, ConsumerRecord<byte[], byte[]> raw) {}

  private final Topic<String, V> topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Rec<V>> records = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  TopicRecords(Topic<String, V> topic, Map<String, Object> clientProps) {
    this.topic = topic;
    Map<String, Object> props = new java.util.HashMap<>(clientProps);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::run, "records-" + topic.name());
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          String key = topic.keySerde().deserializer().deserialize(r.topic(), r.key());
          V value = r.value() == null ? null : topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
          records.add(new Rec<>(key, value, r));
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  List<Rec<V>> records() {
    return List.copyOf(records);
  }

  List<V> values() {
    return records.stream().map(Rec::value).toList();
  }

  List<V> values(Predicate<V> which) {
    return records.stream().map(Rec::value).filter(v -> v != null && which.test(v)).toList();
  }

  List<V> await(Predicate<V> which, int atLeast, Duration timeout) {
    Awaitility.await("records on " + topic.name()).atMost(timeout).pollInterval(Duration.ofMillis(50))
        .until(() -> values(which).size() >= atLeast);
    return values(which);
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
