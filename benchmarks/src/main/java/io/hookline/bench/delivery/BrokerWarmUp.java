package io.hookline.bench.delivery;

import io.hookline.testing.KafkaBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Runs the broker's request paths before any contender, so the JIT has compiled them before anyone
 * is measured. Without it the first Kafka contender (Hookline, in the order of {@link Contender})
 * paid for the broker's warm-up in the shared CPU, while the peers found it warm.
 *
 * <p>Two stages. Bulk: many records in large batches (the per-record paths). Requests: a record at
 * a time at a fixed rate, so there are thousands of small produce, fetch, commit and offset
 * look-up requests, as a contender makes at 1,000 events/s. The JIT compiles a method after
 * thousands of calls, and the bulk stage alone makes a few hundred requests: with it alone, the
 * benchmark's JVM spent 1.96 s of CPU on its compiler threads in 8 s of Hookline's measured burst
 * against 0.27 s in Parallel Consumer's (per-thread CPU from /proc, 100,000-event
 * bursts), compiling the broker's network and log-append paths (JFR compilation events) that
 * Hookline, the first Kafka contender, was the first to use at a high request rate.
 */
final class BrokerWarmUp {

  private BrokerWarmUp() {}

  /**
   * Produces {@code records} events (idempotent, acks=all) and consumes them back as a group, then
   * for {@code requestsFor} sends one record per request at {@code rate}/s with fetches, commits
   * and offset look-ups alongside; all within {@code bound}.
   */
  static void run(KafkaBroker broker, int partitions, int records, Duration requestsFor, int rate, Duration bound)
      throws Exception {
    long start = System.nanoTime();
    long deadline = start + bound.toNanos();
    String topic = "bench-broker-warm-up-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = broker.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
      Map<String, Object> producerProps = new HashMap<>(broker.clientProps());
      producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
      producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      Map<String, Object> consumerProps = new HashMap<>(broker.clientProps());
      consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
      consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
           KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of(topic));
        int consumed = bulk(producer, consumer, topic, records, deadline);
        BenchLog.log("Broker warm-up, bulk: %,d records produced and consumed back in %,d ms", consumed,
            (System.nanoTime() - start) / 1_000_000);
        long requestsStart = System.nanoTime();
        Map<String, Long> before = BrokerRequests.snapshot();
        requests(producer, consumer, admin, topic, partitions, requestsFor, rate, deadline);
        BenchLog.log("Broker warm-up, requests: %,d records/s one at a time for %,d ms: %s", rate,
            (System.nanoTime() - requestsStart) / 1_000_000, BrokerRequests.difference(before, BrokerRequests.snapshot()));
      }
    }
  }

  private static int bulk(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer, String topic,
      int records, long deadline) {
    int consumed = 0;
    int sent = 0;
    while (consumed < records && System.nanoTime() < deadline) {
      // A few thousand at a time, so produce and fetch requests interleave as in the contenders' runs.
      for (int i = 0; i < 2_000 && sent < records; i++, sent++) {
        producer.send(record(topic, sent));
      }
      consumed += consumer.poll(Duration.ofMillis(50)).count();
      consumer.commitAsync();
    }
    return consumed;
  }

  /** Paced single-record produces, a poll and a commit per produce, an offset look-up per ten. */
  private static void requests(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer,
      Admin admin, String topic, int partitions, Duration length, int rate, long deadline) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    long start = System.nanoTime();
    long end = Math.min(deadline, start + length.toNanos());
    long interval = 1_000_000_000L / rate;
    for (int i = 0; ; i++) {
      long due = start + i * interval;
      if (due >= end) {
        break;
      }
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      producer.send(record(topic, i));
      consumer.poll(Duration.ZERO);
      consumer.commitAsync();
      if (i % 10 == 0) {
        admin.listOffsets(latest); // not awaited: the broker's side is what is warmed up
      }
    }
    producer.flush();
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, int seq) {
    return BenchEvents.record(topic, seq, seq % 100);
  }
}
