package io.hookline.bench.delivery;

import io.hookline.testing.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka part of a delivery alone: how much CPU a consumer spends to read each event and write
 * one attempt-sized record for it (idempotent, acks=all, 20 ms linger, as the dispatcher writes its
 * attempts), with no HTTP, no decoding and no signing, in its own JVM and in the broker's. Every
 * Kafka-based dispatcher that records its attempts pays at least this on top of the ceiling's
 * POST, so with all of it on the same cores, {@code ceiling / (ceiling + floor)} bounds its
 * fraction of the ceiling's throughput: what the 80%-of-the-ceiling target can be held against.
 */
final class KafkaFloor {

  /** Bytes of each record written: about the size of one of Hookline's attempt records. */
  static final int RECORD_BYTES = 240;

  /** CPU per event in the floor's JVM and in the benchmark's (broker, producer), in microseconds. */
  record Result(int events, double perSecond, double childMicros, double benchMicros) {
    double totalMicros() {
      return childMicros + benchMicros;
    }
  }

  private KafkaFloor() {}

  static Result measure(KafkaBroker broker, DeliverySettings settings, Path dir, String classpath) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String events = "bench-floor-" + id + "-events";
    String attempts = "bench-floor-" + id + "-attempts";
    int partitions = settings.partitions();
    try (Admin admin = broker.admin()) {
      admin.createTopics(List.of(new NewTopic(events, partitions, (short) 1), new NewTopic(attempts, partitions, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
    }
    broker.awaitLeaders(List.of(events, attempts), ContenderKafka.LEADER_WAIT);
    Map<String, Object> props = new HashMap<>(broker.clientProps());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // Not idempotent: a fresh topic's first batches may meet NOT_LEADER, and an idempotent producer
    // can then loop on out-of-order sequences; a duplicate event only costs the floor one more record.
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
         ChildJvm child = ChildJvm.start("kafka-floor", dir, classpath, settings.childXmx(), List.of(), Child.class.getName(),
             List.of(broker.bootstrapServers(), events, attempts, "bench-floor-" + id),
             Map.of())) {
      // As many warm-up events as measured ones: a floor read before the JIT settles would be too high.
      int n = settings.events();
      int warm = n;
      produce(producer, events, 0, warm);
      awaitWritten(broker, attempts, partitions, warm, Duration.ofMinutes(3), child);
      long[] cpuBefore = {child.cpuNanos(), ChildJvm.benchCpuNanos()};
      long start = System.nanoTime();
      produce(producer, events, warm, n);
      awaitWritten(broker, attempts, partitions, warm + n, Duration.ofMinutes(3), child);
      long took = System.nanoTime() - start;
      long childCpu = child.cpuNanos() - cpuBefore[0];
      long benchCpu = ChildJvm.benchCpuNanos() - cpuBefore[1];
      child.stop(5);
      Result r = new Result(n, n * 1e9 / took, childCpu / 1e3 / n, benchCpu / 1e3 / n);
      BenchLog.log("Kafka floor: %,d events read and %,d records written in %,d ms: %,.0f/s; CPU %.0f us per event in its JVM, %.0f us in the benchmark's",
          n, n, took / 1_000_000, r.perSecond(), r.childMicros(), r.benchMicros());
      return r;
    }
  }

  private static void produce(KafkaProducer<byte[], byte[]> producer, String topic, int from, int count) {
    for (int seq = from; seq < from + count; seq++) {
      producer.send(BenchEvents.record(topic, seq, seq % 100));
    }
    producer.flush();
  }

  private static void awaitWritten(KafkaBroker broker, String topic, int partitions, long expected, Duration bound,
      ChildJvm child) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    long deadline = System.nanoTime() + bound.toNanos();
    try (Admin admin = broker.admin()) {
      while (true) {
        long written = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
            .mapToLong(i -> i.offset()).sum();
        if (written >= expected) {
          return;
        }
        if (System.nanoTime() > deadline || !child.alive()) {
          throw new IllegalStateException("the Kafka floor wrote " + written + " of " + expected + " records"
              + (child.alive() ? " in time" : " and stopped") + "; its log: " + child.tail(20));
        }
        Thread.sleep(20);
      }
    }
  }

  /** The floor's JVM: args bootstrap, events topic, attempts topic, group. Runs until stopped. */
  static final class Child {
    public static void main(String[] args) {
      byte[] value = new byte[RECORD_BYTES];
      ThreadLocalRandom.current().nextBytes(value);
      Map<String, Object> producerProps = Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
          ProducerConfig.ACKS_CONFIG, "all",
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
          ProducerConfig.LINGER_MS_CONFIG, 20);
      Map<String, Object> consumerProps = Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
          ConsumerConfig.GROUP_ID_CONFIG, args[3],
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
           KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of(args[1]));
        long lastCommit = System.nanoTime();
        while (true) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            producer.send(new ProducerRecord<>(args[2], r.key(), value));
          }
          if (System.nanoTime() - lastCommit > 1_000_000_000L) {
            consumer.commitAsync();
            lastCommit = System.nanoTime();
          }
        }
      }
    }
  }
}
