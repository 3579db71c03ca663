package io.hookline.dispatcher.it;

import io.hookline.avro.RetryRequest;
import io.hookline.schemas.HooklineTopics;
import io.hookline.testing.TopicRecording;
import io.hookline.testing.TopicRecording.Received;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Stands in for the retry scheduler in dispatcher tests (services do not depend on each other):
 * records the retry topics and the parked topic, and copies each record, key, value and headers
 * unchanged, to the redeliveries topic once its {@code due_at} has passed, earliest due first and
 * in the order read among equals. The scheduler's own tests cover the real hop, parked topic
 * included.
 */
final class DueRecordRelay implements AutoCloseable {

  private record Waiting(long dueAt, long seq, ConsumerRecord<byte[], byte[]> record) {}

  private final String redeliveries;
  private final KafkaProducer<byte[], byte[]> producer;
  private final PriorityQueue<Waiting> waiting =
      new PriorityQueue<>(Comparator.comparingLong(Waiting::dueAt).thenComparingLong(Waiting::seq));
  private final ScheduledExecutorService relay = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "due-record-relay");
    t.setDaemon(true);
    return t;
  });
  private final TopicRecording<String, RetryRequest> delayed;
  private long seq;
  private boolean holding;

  DueRecordRelay(HooklineTopics topics, Map<String, Object> clientProps) {
    this.redeliveries = topics.redeliveries().name();
    this.producer = new KafkaProducer<>(clientProps, new ByteArraySerializer(), new ByteArraySerializer());
    this.delayed = TopicRecording.of(topics.delayedTopics(), clientProps, this::hold);
    relay.scheduleWithFixedDelay(this::releaseDue, 20, 20, TimeUnit.MILLISECONDS);
  }

  private synchronized void hold(Received<String, RetryRequest> r) {
    waiting.add(new Waiting(r.value().getDueAt(), seq++, r.raw()));
  }

  /** Releases nothing until {@link #release} (the retry scheduler running late). */
  synchronized void hold() {
    holding = true;
  }

  synchronized void release() {
    holding = false;
  }

  /** Records read from the retry and parked topics. */
  int read() {
    return delayed.values(r -> true).size();
  }

  private synchronized void releaseDue() {
    if (holding) {
      return;
    }
    long now = System.currentTimeMillis();
    while (!waiting.isEmpty() && waiting.peek().dueAt() <= now) {
      ConsumerRecord<byte[], byte[]> r = waiting.poll().record();
      producer.send(new ProducerRecord<>(redeliveries, null, r.key(), r.value(), r.headers()));
    }
  }

  @Override
  public void close() {
    delayed.close();
    relay.shutdownNow();
    producer.close(Duration.ofSeconds(5));
  }
}
