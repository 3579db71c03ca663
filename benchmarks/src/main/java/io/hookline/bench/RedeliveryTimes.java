package io.hookline.bench;

import io.hookline.avro.RetryRequest;
import io.hookline.schemas.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A passive reader of the redeliveries topic (no group, {@code read_committed}, a short fetch wait
 * of its own) that notes, per execution, the due time the dispatcher stamped, the time the
 * retry-scheduler sent the record (its producer's timestamp) and the time the record became
 * readable here. It reads only; the dispatcher reads the same records through its own group.
 */
final class RedeliveryTimes implements AutoCloseable {

  /** Due time and send time in epoch ms, read time in epoch microseconds. */
  record Seen(long dueAtMs, long sentMs, long readUs) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Topic<String, RetryRequest> topic;
  private final Map<String, Seen> seen;
  private final Thread thread;
  private volatile boolean running = true;

  private RedeliveryTimes(String bootstrapServers, Topic<String, RetryRequest> topic, Map<String, Seen> seen) {
    this.topic = topic;
    this.seen = seen;
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < topic.partitions(); p++) {
      partitions.add(new TopicPartition(topic.name(), p));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::read, "bench-redelivery-times");
  }

  static RedeliveryTimes start(String bootstrapServers, Topic<String, RetryRequest> topic, Map<String, Seen> seen) {
    RedeliveryTimes times = new RedeliveryTimes(bootstrapServers, topic, seen);
    times.thread.start();
    return times;
  }

  private void read() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          Instant now = Instant.now();
          long readUs = TimeUnit.SECONDS.toMicros(now.getEpochSecond()) + now.getNano() / 1_000;
          RetryRequest request = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
          seen.putIfAbsent(request.getExecutionId(), new Seen(request.getDueAt(), r.timestamp(), readUs));
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      Progress.log("Light load: the redeliveries reader stopped (%s); stages are left out", e);
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
