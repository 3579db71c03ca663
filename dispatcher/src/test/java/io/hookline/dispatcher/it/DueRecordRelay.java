package io.hookline.dispatcher.it;

import io.hookline.avro.RetryRequest;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Stands in for the retry scheduler in dispatcher tests (services do not depend on each other):
 * reads the retry topics and the parked topic, and copies each record, key, value and headers
 * unchanged, to the redeliveries topic once its {@code due_at} has passed. The scheduler's own
 * tests cover the real hop, parked topic included.
 */
final class DueRecordRelay implements AutoCloseable {

  private record Waiting(long dueAt, long seq, ConsumerRecord<byte[], byte[]> record) {}

  private final HooklineTopics topics;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final PriorityQueue<Waiting> waiting =
      new PriorityQueue<>((a, b) -> a.dueAt() != b.dueAt() ? Long.compare(a.dueAt(), b.dueAt()) : Long.compare(a.seq(), b.seq()));
  private final Thread thread;
  private volatile boolean running = true;
  private long seq;

  DueRecordRelay(HooklineTopics topics, Map<String, Object> clientProps) {
    this.topics = topics;
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.producer = new KafkaProducer<>(clientProps, new ByteArraySerializer(), new ByteArraySerializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (Topic<String, RetryRequest> t : topics.delayedTopics()) {
      consumer.partitionsFor(t.name(), Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::run, "due-record-relay");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
          RetryRequest request = topics.redeliveries().valueSerde().deserializer().deserialize(r.topic(), r.value());
          waiting.add(new Waiting(request.getDueAt(), seq++, r));
        }
        long now = System.currentTimeMillis();
        while (!waiting.isEmpty() && waiting.peek().dueAt() <= now) {
          ConsumerRecord<byte[], byte[]> r = waiting.poll().record();
          producer.send(new ProducerRecord<>(topics.redeliveries().name(), null, r.key(), r.value(), r.headers()));
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
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
    producer.close(Duration.ofSeconds(5));
  }
}
