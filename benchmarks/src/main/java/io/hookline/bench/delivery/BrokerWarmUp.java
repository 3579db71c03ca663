package io.hookline.bench.delivery;

import io.hookline.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Runs the broker's produce and fetch paths before any contender, so the JIT has compiled them
 * before anyone is measured. Without it the first Kafka contender (Hookline, in the order of
 * {@link Contender}) paid for the broker's warm-up in the shared CPU, while the peers found it warm.
 */
final class BrokerWarmUp {

  private BrokerWarmUp() {}

  /** Produces {@code records} events (idempotent, acks=all) and consumes them back as a group, within {@code bound}. */
  static void run(KafkaBroker broker, int partitions, int records, Duration bound) throws Exception {
    long start = System.nanoTime();
    long deadline = start + bound.toNanos();
    String topic = "bench-broker-warm-up-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = broker.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    Map<String, Object> producerProps = new HashMap<>(broker.clientProps());
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    Map<String, Object> consumerProps = new HashMap<>(broker.clientProps());
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    int consumed = 0;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
         KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      int sent = 0;
      while (consumed < records && System.nanoTime() < deadline) {
        // A few thousand at a time, so produce and fetch requests interleave as in the contenders' runs.
        for (int i = 0; i < 2_000 && sent < records; i++, sent++) {
          int w = sent % 100;
          producer.send(new ProducerRecord<>(topic, BenchEvents.portal(w).getBytes(StandardCharsets.UTF_8),
              BenchEvents.json(sent, w, BenchEvents.nowMicros())));
        }
        consumed += consumer.poll(Duration.ofMillis(50)).count();
        consumer.commitAsync();
      }
    }
    BenchLog.log("Broker warm-up: %,d records produced and consumed back in %,d ms", consumed,
        (System.nanoTime() - start) / 1_000_000);
  }
}
