package io.hookline.dispatcher.it;

import io.hookline.schemas.Topic;
import java.time.Duration;
import java.util.HashMap;
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

/** Reads one topic from the beginning on a background thread and keeps every record, decoded. */
final class TopicRecorder<V> implements AutoCloseable {

  /** A record as read: key, decoded value, raw record (headers, partition, offset). */
  record Received<V>(String key, V value, ConsumerRecord<byte[], byte[]> raw) {}

  private final Topic<?, V> topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Received<V>> received = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  TopicRecorder(Topic<?, V> topic, Map<String, Object> clientProps) {
    this.topic = topic;
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::run, "recorder-" + topic.name());
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          String key = r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
          V value = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
          received.add(new Received<>(key, value, r));
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  List<V> values() {
    return received.stream().map(Received::value).toList();
  }

  List<V> values(Predicate<V> which) {
    return received.stream().map(Received::value).filter(which).toList();
  }

  List<Received<V>> records(Predicate<V> which) {
    return received.stream().filter(r -> which.test(r.value())).toList();
  }

  /** Waits for at least {@code n} matching values and returns all matching ones. */
  List<V> await(Predicate<V> which, int n, Duration timeout) {
    Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20))
        .until(() -> values(which).size() >= n);
    return values(which);
  }

  V awaitOne(Predicate<V> which, Duration timeout) {
    return await(which, 1, timeout).get(0);
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
