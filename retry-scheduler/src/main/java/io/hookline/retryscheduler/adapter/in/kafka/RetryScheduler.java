package io.hookline.retryscheduler.adapter.in.kafka;

import io.hookline.avro.RetryRequest;
import io.hookline.retryscheduler.domain.DueTimeGate;
import io.hookline.retryscheduler.domain.PendingRetries;
import io.hookline.retryscheduler.domain.ReleaseLateness;
import io.hookline.schemas.AvroSerde;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.InvalidEventException;
import io.hookline.schemas.InvalidRecordHeaders;
import io.hookline.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves scheduled retries from the delayed retry topics, and executions the dispatcher parked
 * ({@code hookline.parked}), to {@code hookline.redeliveries} when they come due. Every record of
 * one retry topic waits the same delay (parked records: the dispatcher's park delay), so due times
 * only grow along a partition and only each partition's head record needs watching. (Should a
 * record ever sit behind one due later, it waits for that one: per-partition order wins over
 * punctuality.)
 *
 * <p><b>Never waits on the consumer thread; never reads a record twice to wait for it.</b> Records
 * read but not due yet are kept in memory per partition, in read order ({@link PendingRetries}),
 * and released from there at their due time. A partition holding {@code readAhead} records is
 * paused, so nothing more is read of it until some are released; it is resumed once it holds
 * fewer. Memory is therefore bounded: fewer than {@code readAhead} plus one poll's records per
 * partition (with {@code readAhead = 1}, a partition holding a record not due yet is not read
 * further, and holds at most what one poll returned). The poll loop keeps running with a poll
 * timeout no longer than the time to the next due head (at most {@code maxPollWait}); a partition
 * waiting an hour never holds back another partition or another retry topic.
 *
 * <p><b>Unchanged and in order.</b> A released record keeps its key, value bytes and headers; the
 * producer partitions it by key, so it lands on the webhook's partition of the redeliveries topic.
 * Records of one retry partition are released in offset order (one idempotent producer, one
 * transaction at a time). Records of different retry topics (different delays) have no mutual
 * order.
 *
 * <p><b>Exactly-once hop.</b> Everything that came due in one turn of the loop, over all
 * partitions, goes into one Kafka transaction with the consumer offsets that follow it ({@code
 * sendOffsetsToTransaction} with the consumer's group metadata, so a member that lost its
 * partitions in a rebalance cannot commit them). Records held in memory are not committed, so a
 * crash loses nothing: their offsets are not either. The consumer reads {@code read_committed} and
 * never auto-commits. A crash (or a kill) before the commit leaves an open transaction that the
 * broker aborts (at the latest when an instance with the same transactional id starts, or when the
 * transaction times out); its offsets were not committed either, so whichever instance owns the
 * partitions next releases those records again, and a {@code read_committed} reader of the
 * redeliveries topic sees each of them exactly once. Until that abort, such readers and the next
 * owner of the partitions wait, hence a short transaction timeout. Transactions are not pipelined:
 * a second one open while the first commits could commit offsets past records whose transaction
 * then aborts. A transaction that fails with an abortable error is aborted, the records the
 * affected partitions hold are dropped, and the consumer is rewound to their last committed
 * offsets; they are held for {@code abortBackoff} and then read and released again. A fatal error
 * (fenced by a newer instance with the same transactional id, authorization, an unsupported broker)
 * stops the scheduler loudly: the loop ends, the clients close, {@link #failure()} tells why, and
 * the application exits non-zero.
 *
 * <p><b>Rebalances.</b> Every transaction ends before the next poll, so a revoked partition has
 * nothing in flight. On revoke or loss the records it holds in memory and its timers are dropped
 * (the next owner reads them again from the committed offset); on assignment the partition is
 * resumed and anything stale dropped, so a partition that was paused here, revoked and assigned
 * back is never left paused without a timer.
 *
 * <p>A record whose value is not a {@link RetryRequest} cannot be scheduled; when it reaches the
 * head of its partition it goes, with its original bytes and headers naming the reason and the
 * source, to the invalid-records topic in the same transaction, and the partition moves on.
 * Nothing is dropped silently.
 *
 * <p>The lateness of every released record (commit time minus due time) goes to {@link
 * ReleaseLateness}, summarised in the log every {@code metricsLogInterval}.
 *
 * <p>The consumer and producer belong to the loop thread once {@link #start()} is called; other
 * threads only call {@link #close()} and read the snapshots.
 */
public final class RetryScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RetryScheduler.class);
  private static final AvroSerde<RetryRequest> RETRY_REQUESTS = AvroSerde.of(RetryRequest.class);
  private static final Duration COMMITTED_LOOKUP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** Timing of the loop. */
  public record Timing(Duration maxPollWait, Duration abortBackoff, Duration metricsLogInterval) {
    public Timing {
      Objects.requireNonNull(maxPollWait, "maxPollWait");
      Objects.requireNonNull(abortBackoff, "abortBackoff");
      Objects.requireNonNull(metricsLogInterval, "metricsLogInterval");
    }
  }

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final HooklineTopics topics;
  private final ReleaseLateness lateness;
  private final Timing timing;
  private final int readAhead;
  private final Clock clock;
  private final PendingRetries<TopicPartition, Release> pending = new PendingRetries<>();
  private final DueTimeGate<TopicPartition> backoff = new DueTimeGate<>();
  private final Set<TopicPartition> paused = new HashSet<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final AtomicLong invalid = new AtomicLong();
  private final AtomicLong aborted = new AtomicLong();
  private final AtomicLong read = new AtomicLong();
  private final AtomicInteger mostHeld = new AtomicInteger();
  private final Thread thread;

  private volatile boolean stopping;
  private volatile Set<TopicPartition> assignedSnapshot = Set.of();
  private volatile Set<TopicPartition> heldSnapshot = Set.of();
  private volatile Map<TopicPartition, Integer> heldRecordsSnapshot = Map.of();
  private boolean inTransaction;
  private long nextSummaryAt;

  public RetryScheduler(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      HooklineTopics topics,
      ReleaseLateness lateness,
      Timing timing,
      int readAhead,
      Clock clock) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topics = Objects.requireNonNull(topics, "topics");
    this.lateness = Objects.requireNonNull(lateness, "lateness");
    this.timing = Objects.requireNonNull(timing, "timing");
    if (readAhead < 1) {
      throw new IllegalArgumentException("readAhead must be at least 1, was " + readAhead);
    }
    this.readAhead = readAhead;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.thread = new Thread(this::run, "retry-scheduler");
  }

  /**
   * Registers the transactional id with the broker (fencing any older instance that used it and
   * aborting its open transaction), subscribes to every retry topic and starts the loop.
   */
  public RetryScheduler start() {
    producer.initTransactions();
    // Learn where the output partitions live now, not on the first release.
    producer.partitionsFor(topics.redeliveries().name());
    producer.partitionsFor(topics.eventsInvalid().name());
    thread.start();
    return this;
  }

  private void run() {
    Throwable failure = null;
    try {
      List<String> delayed = topics.delayedTopics().stream().map(Topic::name).toList();
      consumer.subscribe(delayed, new PartitionHandover());
      LOG.info("Retry scheduler started on {} -> {}", delayed, topics.redeliveries().name());
      nextSummaryAt = clock.millis() + timing.metricsLogInterval().toMillis();
      while (!stopping) {
        turn();
      }
    } catch (WakeupException e) {
      if (!stopping) {
        failure = e;
      }
    } catch (Throwable e) {
      failure = e;
    } finally {
      closeClients(failure);
      if (failure == null) {
        LOG.info("Retry scheduler stopped; {}", lateness.snapshot());
        terminated.complete(null);
      } else {
        LOG.error("Retry scheduler STOPPED on a fatal error; no more retries are released by this instance", failure);
        terminated.completeExceptionally(failure);
      }
    }
  }

  /**
   * One turn of the loop: resume what finished its abort back-off, poll (no longer than the time to
   * the next due record), keep what was read, release everything due in one transaction, then pause
   * the partitions that still hold records and resume the ones that are drained.
   */
  private void turn() {
    long now = clock.millis();
    resumeAfterBackoff(now);
    ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout(now));
    if (!records.isEmpty()) {
      keep(records);
    }
    Map<TopicPartition, List<Release>> due = pending.takeDue(clock.millis());
    if (!due.isEmpty()) {
      release(due);
    }
    if (!records.isEmpty() || !due.isEmpty()) {
      pauseOrResume(records.partitions(), due.keySet());
    }
    snapshot();
    logSummaryWhenDue();
  }

  private void snapshot() {
    heldSnapshot = held();
    Map<TopicPartition, Integer> counts = new HashMap<>();
    for (TopicPartition partition : pending.partitions()) {
      counts.put(partition, pending.size(partition));
    }
    heldRecordsSnapshot = Map.copyOf(counts);
  }

  private void resumeAfterBackoff(long now) {
    List<TopicPartition> due = backoff.releaseDue(now);
    if (!due.isEmpty()) {
      due.retainAll(consumer.assignment());
      paused.removeAll(due);
      consumer.resume(due);
    }
  }

  private Duration pollTimeout(long now) {
    long wait = timing.maxPollWait().toMillis();
    OptionalLong next = earliest(pending.nextDueAt(), backoff.nextWakeUp());
    if (next.isPresent()) {
      wait = Math.max(0, Math.min(wait, next.getAsLong() - now));
    }
    return Duration.ofMillis(wait);
  }

  private static OptionalLong earliest(OptionalLong a, OptionalLong b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() ? a : OptionalLong.of(Math.min(a.getAsLong(), b.getAsLong()));
  }

  /** Keeps every polled record in memory, in read order per partition, with its due time. */
  private void keep(ConsumerRecords<byte[], byte[]> records) {
    read.addAndGet(records.count());
    for (TopicPartition partition : records.partitions()) {
      for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
        Release release = Release.of(record);
        pending.add(partition, release, release.dueAt().orElse(PendingRetries.DUE_AT_ONCE));
      }
      mostHeld.accumulateAndGet(pending.size(partition), Math::max);
    }
  }

  /**
   * A partition holding records is paused, so nothing more is read of it until they are released:
   * in memory it never holds more than one poll returned. A drained partition is resumed.
   */
  private void pauseOrResume(Set<TopicPartition> polled, Set<TopicPartition> released) {
    List<TopicPartition> toPause = new ArrayList<>();
    List<TopicPartition> toResume = new ArrayList<>();
    for (Set<TopicPartition> touched : List.of(polled, released)) {
      for (TopicPartition partition : touched) {
        if (pending.size(partition) >= readAhead) {
          if (paused.add(partition)) {
            toPause.add(partition);
          }
        } else if (!backoff.isHeld(partition) && paused.remove(partition)) {
          toResume.add(partition);
        }
      }
    }
    if (!toPause.isEmpty()) {
      consumer.pause(toPause);
    }
    if (!toResume.isEmpty()) {
      toResume.retainAll(consumer.assignment());
      consumer.resume(toResume);
    }
  }

  private Set<TopicPartition> held() {
    if (backoff.size() == 0) {
      return pending.partitions();
    }
    Set<TopicPartition> held = new HashSet<>(pending.partitions());
    held.addAll(backoff.held());
    return Set.copyOf(held);
  }

  /** Releases every due record, of every partition, in one transaction. */
  private void release(Map<TopicPartition, List<Release>> due) {
    List<Release> batch = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    Map<TopicPartition, Long> batchStart = new HashMap<>();
    due.forEach((partition, releases) -> {
      batch.addAll(releases);
      ConsumerRecord<byte[], byte[]> first = releases.get(0).record();
      ConsumerRecord<byte[], byte[]> last = releases.get(releases.size() - 1).record();
      batchStart.put(partition, first.offset());
      offsets.put(partition, new OffsetAndMetadata(last.offset() + 1, last.leaderEpoch(), ""));
    });
    try {
      commit(batch, offsets);
    } catch (KafkaException e) {
      if (isFatal(e)) {
        throw e;
      }
      abortAndRewind(batchStart, e);
      return;
    }
    long releasedAt = clock.millis();
    for (Release release : batch) {
      if (release.dueAt().isPresent()) {
        lateness.record(releasedAt - release.dueAt().getAsLong());
      } else {
        invalid.incrementAndGet();
      }
    }
  }

  private void commit(List<Release> batch, Map<TopicPartition, OffsetAndMetadata> offsets) {
    producer.beginTransaction();
    inTransaction = true;
    List<Future<RecordMetadata>> sends = new ArrayList<>(batch.size());
    for (Release release : batch) {
      sends.add(producer.send(release.dueAt().isPresent() ? redelivery(release.record()) : invalidRecord(release)));
    }
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

  private ProducerRecord<byte[], byte[]> invalidRecord(Release release) {
    ConsumerRecord<byte[], byte[]> record = release.record();
    LOG.warn("Retry record {}-{}@{} is not a RetryRequest ({}); it goes to {} and the partition moves on",
        record.topic(), record.partition(), record.offset(), release.problem(), topics.eventsInvalid().name());
    Headers headers = new RecordHeaders(record.headers().toArray());
    headers.add(InvalidRecordHeaders.REASON, utf8(release.reason().name()));
    headers.add(InvalidRecordHeaders.MESSAGE, utf8(release.problem()));
    headers.add(InvalidRecordHeaders.SOURCE_TOPIC, utf8(record.topic()));
    headers.add(InvalidRecordHeaders.SOURCE_PARTITION, utf8(Integer.toString(record.partition())));
    headers.add(InvalidRecordHeaders.SOURCE_OFFSET, utf8(Long.toString(record.offset())));
    return new ProducerRecord<>(topics.eventsInvalid().name(), null, record.key(), record.value(), headers);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Aborts the open transaction and sets the affected partitions back to their last committed
   * offsets, held for the abort back-off so that a persistent failure does not spin.
   */
  private void abortAndRewind(Map<TopicPartition, Long> batchStart, KafkaException cause) {
    aborted.incrementAndGet();
    LOG.warn("Transaction failed ({}); aborting it and releasing {} partition(s) again from their committed offsets",
        cause.toString(), batchStart.size(), cause);
    producer.abortTransaction();
    inTransaction = false;
    Set<TopicPartition> owned = new HashSet<>(batchStart.keySet());
    owned.retainAll(consumer.assignment());
    if (owned.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(owned);
    for (TopicPartition partition : owned) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset != null) {
        consumer.seek(partition, offset);
      } else {
        consumer.seek(partition, batchStart.get(partition));
      }
    }
    // What was read past the aborted batch is read again from the committed offset too.
    pending.drop(owned);
    long backoffMs = timing.abortBackoff().toMillis();
    if (backoffMs > 0) {
      consumer.pause(owned);
      paused.addAll(owned);
      long until = clock.millis() + backoffMs;
      owned.forEach(partition -> backoff.hold(partition, until));
    } else {
      consumer.resume(owned);
      paused.removeAll(owned);
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> committedOffsets(Set<TopicPartition> partitions) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions, COMMITTED_LOOKUP_TIMEOUT);
      return committed == null ? Map.of() : committed;
    } catch (KafkaException e) {
      if (e instanceof WakeupException) {
        throw e;
      }
      // Offsets only move through our own commits, so the batch start is the committed offset.
      LOG.warn("Cannot read the committed offsets of {}; rewinding to the start of the aborted batch", partitions, e);
      return Map.of();
    }
  }

  /** Errors after which this producer can no longer be used: stop rather than carry on. */
  static boolean isFatal(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ApplicationRecoverableException
          || t instanceof OutOfOrderSequenceException
          || t instanceof AuthorizationException
          || t instanceof AuthenticationException
          || t instanceof UnsupportedVersionException) {
        return true;
      }
    }
    return !(error instanceof KafkaException);
  }

  private void logSummaryWhenDue() {
    long now = clock.millis();
    if (now >= nextSummaryAt) {
      nextSummaryAt = now + timing.metricsLogInterval().toMillis();
      OptionalLong next = pending.nextDueAt();
      LOG.info("Retry scheduler: {}; {} record(s) read and waiting in {} partition(s), next due in {}; invalid={} aborted={}",
          lateness.snapshot(), pending.size(), pending.partitions().size(),
          next.isPresent() ? Duration.ofMillis(Math.max(0, next.getAsLong() - now)) : "-",
          invalid.get(), aborted.get());
    }
  }

  private void closeClients(Throwable failure) {
    if (inTransaction) {
      try {
        producer.abortTransaction();
      } catch (RuntimeException e) {
        LOG.warn("Cannot abort the open transaction; the broker aborts it (on time-out, or when this transactional id is used again)", e);
      }
    }
    try {
      producer.close(failure == null ? Duration.ofSeconds(10) : Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.warn("Error closing the producer", e);
    }
    try {
      consumer.close();
    } catch (RuntimeException e) {
      LOG.warn("Error closing the consumer", e);
    }
    assignedSnapshot = Set.of();
    heldSnapshot = Set.of();
    heldRecordsSnapshot = Map.of();
  }

  /**
   * Stops the loop after the batch in hand (committed, or aborted if it cannot be), closes the
   * clients (leaving the group, so the partitions move on at once) and waits for all that.
   */
  @Override
  public void close() {
    stopping = true;
    if (!thread.isAlive()) {
      return;
    }
    consumer.wakeup();
    try {
      thread.join(CLOSE_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.error("Retry scheduler did not stop within {}", CLOSE_TIMEOUT);
    }
  }

  /** Blocks until the loop has ended; the error that ended it, or empty after a clean stop. */
  public Optional<Throwable> awaitTermination() throws InterruptedException {
    try {
      terminated.get();
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.of(e.getCause());
    }
  }

  /** Like {@link #awaitTermination()}, for at most {@code timeout}; false if still running. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    try {
      terminated.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    }
  }

  /** The fatal error that stopped the loop, if one did. */
  public Optional<Throwable> failure() {
    if (!terminated.isCompletedExceptionally()) {
      return Optional.empty();
    }
    try {
      terminated.join();
      return Optional.empty();
    } catch (java.util.concurrent.CompletionException e) {
      return Optional.of(e.getCause());
    }
  }

  public boolean isRunning() {
    return thread.isAlive() && !terminated.isDone();
  }

  /** The partitions this instance owns, as of the last rebalance. */
  public Set<TopicPartition> assignedPartitions() {
    return assignedSnapshot;
  }

  /** The partitions paused until their head comes due, as of the last turn of the loop. */
  public Set<TopicPartition> heldPartitions() {
    return heldSnapshot;
  }

  /**
   * How many records each partition holds in memory, read but not released yet, as of the last
   * turn of the loop (only partitions holding any).
   */
  public Map<TopicPartition, Integer> heldRecords() {
    return heldRecordsSnapshot;
  }

  /** The most records one partition has held in memory at once, since start. */
  public int mostRecordsHeldByOnePartition() {
    return mostHeld.get();
  }

  /** Records read from the retry topics so far, counting every read (a record read again counts again). */
  public long recordsRead() {
    return read.get();
  }

  public ReleaseLateness lateness() {
    return lateness;
  }

  /** Records sent to the invalid-records topic because they were not RetryRequests. */
  public long invalidRecords() {
    return invalid.get();
  }

  /** Transactions aborted on an abortable error and released again. */
  public long abortedTransactions() {
    return aborted.get();
  }

  /**
   * Keeps the pending records, the timers and the pause state in step with the partitions this
   * member owns. Nothing is in flight when this runs (every transaction ends before the next poll).
   */
  private final class PartitionHandover implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      forget(partitions, "revoked");
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions, "lost");
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // A partition paused here before a revocation must not come back paused with no timer, nor
      // with records read before: it is read again from its committed offset.
      pending.drop(partitions);
      backoff.remove(partitions);
      paused.removeAll(partitions);
      consumer.resume(partitions);
      assignedSnapshot = Set.copyOf(consumer.assignment());
      snapshot();
      if (!partitions.isEmpty()) {
        LOG.info("Assigned {} (resumed; due times are read again from the committed offsets)", partitions);
      }
    }

    private void forget(Collection<TopicPartition> partitions, String how) {
      // Their offsets past the last commit were never committed: the next owner reads them again.
      pending.drop(partitions);
      backoff.remove(partitions);
      paused.removeAll(partitions);
      Set<TopicPartition> remaining = new HashSet<>(consumer.assignment());
      remaining.removeAll(partitions);
      assignedSnapshot = Set.copyOf(remaining);
      snapshot();
      if (!partitions.isEmpty()) {
        LOG.info("Partitions {}: {}", how, partitions);
      }
    }
  }

  /** A polled record and what it says about its due time. */
  private record Release(
      ConsumerRecord<byte[], byte[]> record, OptionalLong dueAt, InvalidEventException.Reason reason, String problem) {

    static Release of(ConsumerRecord<byte[], byte[]> record) {
      byte[] value = record.value();
      if (value == null || value.length == 0) {
        return new Release(record, OptionalLong.empty(), InvalidEventException.Reason.EMPTY_RECORD,
            "the retry record has no value");
      }
      try {
        return new Release(record, OptionalLong.of(RETRY_REQUESTS.decode(value).getDueAt()), null, null);
      } catch (SerializationException e) {
        return new Release(record, OptionalLong.empty(), InvalidEventException.Reason.UNDECODABLE_AVRO, e.getMessage());
      }
    }
  }
}
