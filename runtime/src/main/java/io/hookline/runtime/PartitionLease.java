package io.hookline.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka side of {@link FencedUpdates} for one partition: the transactional producer whose
 * {@code transactional.id} (topic and partition) is the same in every process, so that taking it
 * ({@link #producer}) fences the previous holder; the catch-up of the mirror to the partition's last
 * stable offset; and, after a commit whose outcome is unknown, the check whether it happened.
 * Used by one thread at a time.
 */
final class PartitionLease implements AutoCloseable {

  private final TopicPartition partition;
  private final Map<String, Object> producerProps;
  private final Map<String, Object> clientProps;
  private final Admin admin;
  private Producer<byte[], byte[]> producer;

  PartitionLease(TopicPartition partition, Map<String, Object> producerProps, Map<String, Object> clientProps,
      Admin admin) {
    this.partition = partition;
    this.producerProps = producerProps;
    this.clientProps = clientProps;
    this.admin = admin;
  }

  /** The partition's transactional producer, initialised (which fences any other holder) when new. */
  Producer<byte[], byte[]> producer() {
    if (producer == null) {
      Map<String, Object> props = new HashMap<>(producerProps);
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, partition.topic() + ".writer-" + partition.partition());
      props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId("writer"));
      KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(props, new ByteArraySerializer(),
          new ByteArraySerializer());
      try {
        created.initTransactions();
      } catch (RuntimeException e) {
        created.close(Duration.ZERO);
        throw e;
      }
      producer = created;
    }
    return producer;
  }

  /** Gives the partition up here; the next {@link #producer} takes it again. */
  void release() {
    if (producer != null) {
      producer.close(Duration.ZERO);
      producer = null;
    }
  }

  /** Brings {@code mirror} up to the partition's last stable offset: every change committed before now. */
  void catchUp(TopicMirror<?> mirror, Duration timeout) throws TimeoutException, ExecutionException,
      InterruptedException {
    if (mirror.failure() != null) {
      throw new IllegalStateException("the mirror of " + partition.topic() + " has stopped", mirror.failure());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest()),
            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .partitionResult(partition).get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
    mirror.whenApplied(Map.of(partition.partition(), end)).get(left(deadline), TimeUnit.MILLISECONDS);
  }

  /**
   * Whether the record this process wrote at {@code offset} was committed. Call after taking the
   * partition again ({@link #producer}): that resolves the earlier transaction (a commit already
   * prepared is completed, anything else aborted), so a read-committed reader then either gets the
   * record or skips past it.
   */
  boolean committed(long offset, Duration timeout) throws TimeoutException {
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId("check"));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    Properties properties = new Properties();
    properties.putAll(props);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, offset);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50)).records(partition)) {
          return r.offset() == offset;
        }
        if (consumer.position(partition) > offset) {
          return false;
        }
      }
    }
    throw new TimeoutException("could not read back offset " + offset + " of " + partition);
  }

  private String clientId(String role) {
    return clientProps.getOrDefault(CommonClientConfigs.CLIENT_ID_CONFIG, "hookline") + "-" + role + "-"
        + partition.partition();
  }

  /** A batch whose transaction was aborted for certain: it is decided again from the latest values. */
  static final class Aborted extends RuntimeException {
    Aborted(Throwable cause) {
      super("aborted: " + cause.getMessage(), cause);
    }
  }

  /** Whether {@code e} says the batch was aborted: another writer took the partition over, or {@link Aborted}. */
  static boolean fenced(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException || t instanceof Aborted) {
        return true;
      }
    }
    return false;
  }

  private static long left(long deadline) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }

  @Override
  public void close() {
    release();
  }
}
