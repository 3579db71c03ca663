package io.hookline.bench.delivery;

import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Parallel Consumer peer's JVM (on the kafka-clients version Parallel Consumer is released
 * with): KEY ordering (one record in flight per key, keys = webhooks), up to {@code maxInFlight}
 * records in flight, periodic asynchronous commits (its default). Each record is POSTed with the
 * shared client and waited for; a failed POST throws, so Parallel Consumer retries the record
 * later (its default back-off) and holds that key meanwhile.
 *
 * <p>Arguments: bootstrap servers, topic, group id, receiver base URL, contender path, max in flight.
 */
public final class ParallelConsumerPeer {

  private ParallelConsumerPeer() {}

  public static void main(String[] args) {
    HeapSampler.start();
    String base = args[3] + "/" + args[4] + "/";
    int maxInFlight = Integer.parseInt(args[5]);
    PeerHttp http = new PeerHttp();
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
        ConsumerConfig.GROUP_ID_CONFIG, args[2],
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    ParallelConsumerOptions<byte[], byte[]> options = ParallelConsumerOptions.<byte[], byte[]>builder()
        .ordering(ParallelConsumerOptions.ProcessingOrder.KEY)
        .maxConcurrency(maxInFlight)
        .commitMode(ParallelConsumerOptions.CommitMode.PERIODIC_CONSUMER_ASYNCHRONOUS)
        .consumer(consumer)
        .build();
    ParallelStreamProcessor<byte[], byte[]> processor = ParallelStreamProcessor.createEosStreamProcessor(options);
    processor.subscribe(List.of(args[1]));
    processor.poll(context -> {
      ConsumerRecord<byte[], byte[]> r = context.getSingleConsumerRecord();
      int webhook = BenchEvents.webhookOfPortal(new String(r.key(), StandardCharsets.UTF_8));
      if (!http.post(base + webhook, r.value())) {
        throw new IllegalStateException("POST to webhook " + webhook + " failed; retried later");
      }
    });
  }
}
