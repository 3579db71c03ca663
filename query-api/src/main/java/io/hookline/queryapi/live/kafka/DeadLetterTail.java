package io.hookline.queryapi.live.kafka;

import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.live.LiveFailureStreams;
import io.hookline.queryapi.live.StreamPosition;
import io.hookline.schemas.SchemaRegistryException;
import io.hookline.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one live reader of the dead-letter topic per instance: every partition from the end, on a
 * thread of its own, each change handed to the {@link LiveFailureStreams}. Partitions added to the
 * topic later are found within two {@code partitionCheck} intervals ({@link #PARTITION_CHECK} in
 * service; the consumer's metadata is refreshed as often) and read from their beginning. A record
 * that does not decode is skipped; a Kafka error is logged and the next poll tries again. A record
 * whose schema the schema registry could not give is not skipped: the tail reads it again until the
 * registry answers (each try waits as long as the registry client's timeout), so no failure is lost
 * from the live streams while the registry is away.
 */
public final class DeadLetterTail implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTail.class);
  private static final Duration POLL = Duration.ofMillis(200);
  /** How often the tail looks for partitions added to the topic. */
  public static final Duration PARTITION_CHECK = Duration.ofSeconds(30);

  private final Topic<String, FailedExecution> topic;
  private final LiveFailureStreams streams;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Duration partitionCheck;
  private final Thread thread;
  private volatile boolean running = true;
  private List<TopicPartition> partitions;

  /** Starts at the end of every partition; returns once that position is known. */
  public DeadLetterTail(Topic<String, FailedExecution> topic, Map<String, Object> clientProps,
      LiveFailureStreams streams, Duration startTimeout, Duration partitionCheck) {
    this.topic = topic;
    this.streams = streams;
    this.partitionCheck = partitionCheck;
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) partitionCheck.toMillis());
    this.consumer = FailureRecords.consumer(props, "hookline-query-api-live");
    try {
      partitions = partitions(startTimeout);
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      long[] end = new long[partitions.stream().mapToInt(TopicPartition::partition).max().orElse(-1) + 1];
      for (TopicPartition tp : partitions) {
        end[tp.partition()] = consumer.position(tp, startTimeout);
      }
      streams.tailStartsAt(StreamPosition.of(end));
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
    this.thread = new Thread(this::run, "live-" + topic.name());
    thread.setDaemon(true);
    thread.start();
  }

  private List<TopicPartition> partitions(Duration timeout) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), timeout);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("Topic " + topic.name() + " does not exist");
    }
    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
  }

  private void run() {
    long nextCheck = System.nanoTime() + partitionCheck.toNanos();
    try {
      while (running) {
        try {
          publish(consumer.poll(POLL));
          if (System.nanoTime() - nextCheck > 0) {
            nextCheck = System.nanoTime() + partitionCheck.toNanos();
            addNewPartitions();
          }
        } catch (WakeupException e) {
          throw e;
        } catch (KafkaException e) {
          LOG.warn("Reading {} for live streams failed; trying again: {}", topic.name(), e.toString());
        }
      }
    } catch (WakeupException e) {
      if (running) {
        LOG.error("Live tail of {} woken up unexpectedly; it stops", topic.name(), e);
      }
    } catch (RuntimeException e) {
      LOG.error("Live tail of {} stopped; live streams get no more changes", topic.name(), e);
      streams.close();
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /**
   * Hands the changes of {@code records} to the streams in order. When the schema registry does not
   * answer for one, every partition of the batch goes back to its first record not handed over and
   * the rest of the batch waits for the next poll: the registry client already waited its timeout
   * with backoff, so the tail asks again at that pace.
   */
  private void publish(ConsumerRecords<byte[], byte[]> records) {
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(records.count());
    records.forEach(batch::add);
    for (int i = 0; i < batch.size(); i++) {
      try {
        FailureRecords.change(topic, batch.get(i)).ifPresent(streams::publish);
      } catch (SchemaRegistryException e) {
        Map<TopicPartition, Long> firstNotHandled = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : batch.subList(i, batch.size())) {
          firstNotHandled.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
        }
        firstNotHandled.forEach(consumer::seek);
        LOG.warn("Live tail of {} waits for the schema registry; reading again from {}: {}", topic.name(),
            firstNotHandled, e.getMessage());
        return;
      }
    }
  }

  /** Partitions the topic gained since the last look, read from their beginning. */
  private void addNewPartitions() {
    List<TopicPartition> now = partitions(POLL.multipliedBy(10));
    List<TopicPartition> added = new ArrayList<>(now);
    added.removeAll(partitions);
    if (!added.isEmpty()) {
      LOG.info("{} gained partitions {}; live streams read them from their beginning", topic.name(), added);
      consumer.assign(now);
      consumer.seekToBeginning(added);
      partitions = now;
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
