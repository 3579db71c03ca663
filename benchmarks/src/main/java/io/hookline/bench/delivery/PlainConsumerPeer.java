package io.hookline.bench.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The plain peer's JVM, the way a Kafka Connect HTTP sink task works (one task, batch size 1): one
 * consumer polls, then POSTs each record of the poll in turn and waits for its answer, then commits.
 * A failed POST is tried once and skipped (errors.tolerance=all without a dead-letter queue).
 *
 * <p>Arguments: bootstrap servers, topic, group id, receiver base URL, contender path.
 */
public final class PlainConsumerPeer {

  private PlainConsumerPeer() {}

  public static void main(String[] args) {
    HeapSampler.start();
    String base = args[3] + "/" + args[4] + "/";
    PeerHttp http = new PeerHttp();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
        ConsumerConfig.GROUP_ID_CONFIG, args[2],
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(args[1]));
      while (true) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          int webhook = BenchEvents.webhookOfPortal(new String(r.key(), StandardCharsets.UTF_8));
          http.post(base + webhook, r.value());
        }
        if (!records.isEmpty()) {
          consumer.commitAsync();
        }
      }
    }
  }
}
