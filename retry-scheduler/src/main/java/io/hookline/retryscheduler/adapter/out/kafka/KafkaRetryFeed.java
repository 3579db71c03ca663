package io.hookline.retryscheduler.adapter.out.kafka;

import io.hookline.avro.RetryRequest;
import io.hookline.retryscheduler.application.port.in.PartitionOwnership;
import io.hookline.retryscheduler.application.port.out.RetryFeed;
import io.hookline.retryscheduler.domain.PendingRetries;
import io.hookline.runtime.GroupMembership;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.Topic;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the delayed retry topics (and the parked executions) with a {@code read_committed}
 * consumer that never auto-commits: its offsets move only in the release transactions.
 */
public final class KafkaRetryFeed implements RetryFeed<TopicPartition, RetryRecord> {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRetryFeed.class);
  /** The consumer's own default close timeout. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final Consumer<byte[], byte[]> consumer;
  private final HooklineTopics topics;
  /** Every delayed topic holds retry requests; their serdes differ only in the subject they register. */
  private final Deserializer<RetryRequest> requests;

  public KafkaRetryFeed(Consumer<byte[], byte[]> consumer, HooklineTopics topics) {
    this.consumer = consumer;
    this.topics = topics;
    this.requests = topics.parked().valueSerde().deserializer();
  }

  @Override
  public void subscribe(PartitionOwnership<TopicPartition> owner) {
    List<String> delayed = topics.delayedTopics().stream().map(Topic::name).toList();
    consumer.subscribe(delayed, new PartitionHandover(owner));
    LOG.info("Retry scheduler started on {} -> {}", delayed, topics.redeliveries().name());
  }

  @Override
  public Polled<TopicPartition> pollInto(Duration timeout, PendingRetries<TopicPartition, RetryRecord> pending) {
    ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
    if (records.isEmpty()) {
      return Polled.nothing();
    }
    for (TopicPartition partition : records.partitions()) {
      for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
        RetryRecord retry = RetryRecord.of(record, requests);
        pending.add(partition, retry, retry.dueAt());
      }
    }
    return new Polled<>(records.partitions(), records.count());
  }

  @Override
  public Set<TopicPartition> assignment() {
    return consumer.assignment();
  }

  @Override
  public void pause(Collection<TopicPartition> partitions) {
    consumer.pause(partitions);
  }

  @Override
  public void resume(Collection<TopicPartition> partitions) {
    consumer.resume(partitions);
  }

  @Override
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    try {
      // Leaving (static member or not) hands the partitions to the other instances at once.
      GroupMembership.leave(consumer, CLOSE_TIMEOUT);
    } catch (RuntimeException e) {
      LOG.warn("Error closing the consumer", e);
    }
  }

  /** Tells the owner of every partition gained, revoked or lost. */
  private record PartitionHandover(PartitionOwnership<TopicPartition> owner) implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      owner.revoked(partitions, false);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      owner.revoked(partitions, true);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      owner.assigned(partitions);
    }
  }
}
