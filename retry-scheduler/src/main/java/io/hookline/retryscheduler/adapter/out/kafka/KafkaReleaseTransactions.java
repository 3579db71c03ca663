package io.hookline.retryscheduler.adapter.out.kafka;

import io.hookline.retryscheduler.application.port.out.AbortableReleaseException;
import io.hookline.retryscheduler.application.port.out.ReleaseTransactions;
import io.hookline.schemas.HooklineTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once hop: the records due in one turn, over all partitions, go into one Kafka
 * transaction with the consumer offsets that follow them ({@code sendOffsetsToTransaction} with
 * the consumer's group metadata, so a member that lost its partitions in a rebalance cannot commit
 * them). A released record keeps its key, value bytes and headers; the producer partitions it by
 * key, so it lands on the webhook's partition of the redeliveries topic. Records held in memory
 * are not committed, so a crash loses nothing: their offsets are not either.
 *
 * <p>A crash (or a kill) before the commit leaves an open transaction that the broker aborts (at
 * the latest when an instance with the same transactional id starts, or when the transaction times
 * out); its offsets were not committed either, so whichever instance owns the partitions next
 * releases those records again, and a {@code read_committed} reader of the redeliveries topic sees
 * each of them exactly once. Until that abort, such readers and the next owner of the partitions
 * wait, hence a short transaction timeout. An abortable error aborts the transaction and sets the
 * partitions back to their last committed offsets; a fatal one ({@link TransactionErrors}) is
 * thrown to stop the scheduler.
 */
public final class KafkaReleaseTransactions implements ReleaseTransactions<TopicPartition, RetryRecord> {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaReleaseTransactions.class);
  private static final Duration COMMITTED_LOOKUP_TIMEOUT = Duration.ofSeconds(10);

  private final Producer<byte[], byte[]> producer;
  private final Consumer<byte[], byte[]> consumer;
  private final HooklineTopics topics;
  private final InvalidRecordRoute invalidRecords;
  private boolean inTransaction;

  /** {@code consumer} is the one reading the retry topics: its offsets and group go in each transaction. */
  public KafkaReleaseTransactions(Producer<byte[], byte[]> producer, Consumer<byte[], byte[]> consumer, HooklineTopics topics) {
    this.producer = producer;
    this.consumer = consumer;
    this.topics = topics;
    this.invalidRecords = new InvalidRecordRoute(topics.eventsInvalid().name());
  }

  @Override
  public void start() {
    producer.initTransactions();
    // Learn where the output partitions live now, not on the first release.
    producer.partitionsFor(topics.redeliveries().name());
    producer.partitionsFor(topics.eventsInvalid().name());
  }

  @Override
  public void commit(Map<TopicPartition, List<RetryRecord>> due) {
    try {
      send(due);
    } catch (KafkaException e) {
      if (TransactionErrors.isFatal(e)) {
        throw e;
      }
      throw new AbortableReleaseException(e);
    }
  }

  private void send(Map<TopicPartition, List<RetryRecord>> due) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    producer.beginTransaction();
    inTransaction = true;
    int count = 0;
    for (List<RetryRecord> retries : due.values()) {
      count += retries.size();
    }
    List<Future<RecordMetadata>> sends = new ArrayList<>(count);
    due.forEach((partition, retries) -> {
      for (RetryRecord retry : retries) {
        sends.add(producer.send(retry.schedulable() ? redelivery(retry.record()) : invalidRecords.route(retry)));
      }
      ConsumerRecord<byte[], byte[]> last = retries.get(retries.size() - 1).record();
      offsets.put(partition, new OffsetAndMetadata(last.offset() + 1, last.leaderEpoch(), ""));
    });
    // Learn whether every record was taken before adding the offsets: once a send has failed
    // (fenced, refused), adding offsets to the transaction can block for max.block.ms instead of
    // failing, and the error would surface that much later.
    producer.flush();
    for (Future<RecordMetadata> send : sends) {
      failIfRefused(send);
    }
    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
    try {
      producer.commitTransaction();
    } catch (TimeoutException e) {
      // The outcome is unknown; committing again is the one call the producer allows now.
      LOG.warn("Committing the transaction timed out; trying once more", e);
      producer.commitTransaction();
    }
    inTransaction = false;
  }

  private static void failIfRefused(Future<RecordMetadata> send) {
    try {
      send.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  private ProducerRecord<byte[], byte[]> redelivery(ConsumerRecord<byte[], byte[]> record) {
    return new ProducerRecord<>(topics.redeliveries().name(), null, record.key(), record.value(), record.headers());
  }

  @Override
  public Set<TopicPartition> abortAndRewind(Map<TopicPartition, List<RetryRecord>> due, AbortableReleaseException failure) {
    Throwable cause = failure.getCause();
    LOG.warn("Transaction failed ({}); aborting it and releasing {} partition(s) again from their committed offsets",
        cause.toString(), due.size(), cause);
    producer.abortTransaction();
    inTransaction = false;
    Set<TopicPartition> owned = new HashSet<>(due.keySet());
    owned.retainAll(consumer.assignment());
    if (owned.isEmpty()) {
      return owned;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(owned);
    for (TopicPartition partition : owned) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset != null) {
        consumer.seek(partition, offset);
      } else {
        // Offsets only move through our own commits, so the batch start is the committed offset.
        consumer.seek(partition, due.get(partition).get(0).record().offset());
      }
    }
    return owned;
  }

  private Map<TopicPartition, OffsetAndMetadata> committedOffsets(Set<TopicPartition> partitions) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions, COMMITTED_LOOKUP_TIMEOUT);
      return committed == null ? Map.of() : committed;
    } catch (KafkaException e) {
      if (e instanceof WakeupException) {
        throw e;
      }
      LOG.warn("Cannot read the committed offsets of {}; rewinding to the start of the aborted batch", partitions, e);
      return Map.of();
    }
  }

  @Override
  public void close(boolean failed) {
    if (inTransaction) {
      try {
        producer.abortTransaction();
      } catch (RuntimeException e) {
        LOG.warn("Cannot abort the open transaction; the broker aborts it (on time-out, or when this transactional id is used again)", e);
      }
    }
    try {
      producer.close(failed ? Duration.ZERO : Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      LOG.warn("Error closing the producer", e);
    }
  }
}
