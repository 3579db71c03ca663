package io.hookline.runtime;

import io.hookline.runtime.metrics.KafkaClientMeters;
import io.hookline.schemas.SchemaRegistryException;
import io.hookline.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live, read-only copy of a compacted topic in memory, keyed like the topic. Every instance reads
 * all partitions from the beginning (no consumer group, nothing committed), applies each record in
 * order and tombstones as deletes, and keeps following the topic, so a change is visible within one
 * poll interval.
 *
 * <p>Callers can wait for the copy to include a write they made ({@link #awaitApplied}), which gives
 * read-your-writes over Kafka, and for the initial catch-up ({@link #awaitReady}). A caller that
 * must not block asks for a future instead ({@link #whenApplied}): it is completed by the mirror
 * thread as soon as the copy reaches the given offsets, and fails if the mirror stops first.
 *
 * <p>Only committed records are read ({@code isolation.level=read_committed}): a change that its
 * writer aborted, such as a batch of {@link FencedUpdates} that another writer fenced, never shows.
 *
 * <p>A value that cannot be decoded never stops the mirror and is never silently dropped: the key
 * keeps its previous value (a webhook keeps working as it was configured), and the record is held
 * as {@link #undecodable()} until a decodable record or a tombstone for the same key replaces it.
 * An {@link UndecodableListener} is told at once (to copy the record to the invalid topic and write
 * the previous value back), and services show the held records in their health and metrics.
 */
public final class TopicMirror<V> implements AutoCloseable {

  /** Called on the mirror thread for every applied change; {@code value} is null for a delete. */
  @FunctionalInterface
  public interface ChangeListener<V> {
    void changed(String key, V previous, V value);
  }

  /**
   * A record whose value could not be decoded: its key kept its previous value. Holds the original
   * bytes and headers, so that it can be copied unchanged to the invalid topic.
   */
  public record Undecodable(String key, int partition, long offset, String reason, String message,
      byte[] keyBytes, byte[] valueBytes, org.apache.kafka.common.header.Header[] headers) {

    /** {@code topic-partition@offset: reason: message}, for logs, health and error bodies. */
    public String describe(String topic) {
      return topic + "-" + partition + "@" + offset + ": " + reason + ": " + message;
    }
  }

  /** Told on the mirror thread of every undecodable record, right after it is held. */
  @FunctionalInterface
  public interface UndecodableListener {
    void undecodable(Undecodable record);
  }

  /** The reason code of an undecodable value, as on the invalid-records topic. */
  public static final String UNDECODABLE = "UNDECODABLE_AVRO";

  private static final Logger LOG = LoggerFactory.getLogger(TopicMirror.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration METADATA_WAIT = Duration.ofSeconds(30);
  private static final Duration METADATA_BACKOFF = Duration.ofMillis(100);

  private final Topic<String, V> topic;
  private final Properties consumerProps;
  private final ChangeListener<V> listener;
  private final KafkaClientMeters meters;
  private final Map<String, V> values = new ConcurrentHashMap<>();
  private final Map<String, Undecodable> undecodable = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong undecodableSeen = new java.util.concurrent.atomic.AtomicLong();
  private volatile UndecodableListener undecodableListener = r -> {};
  private final Map<Integer, Long> applied = new HashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final Object progress = new Object();
  private List<Integer> partitions = List.of();
  private boolean stopped;
  private volatile boolean ready;
  private volatile boolean running = true;
  private volatile Throwable failure;
  private Thread thread;
  private KafkaConsumer<byte[], byte[]> consumer;

  public TopicMirror(Topic<String, V> topic, Map<String, Object> kafkaProps, ChangeListener<V> listener) {
    this(topic, kafkaProps, listener, KafkaClientMeters.none());
  }

  /** With the mirror's consumer bound to {@code meters} (its client metrics) once started. */
  public TopicMirror(Topic<String, V> topic, Map<String, Object> kafkaProps, ChangeListener<V> listener,
      KafkaClientMeters meters) {
    this.topic = topic;
    this.meters = meters;
    this.listener = listener == null ? (k, p, v) -> {} : listener;
    this.consumerProps = new Properties();
    this.consumerProps.putAll(kafkaProps);
    this.consumerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
  }

  /** Sets who is told of undecodable records from now on (set it before {@link #start}). */
  public TopicMirror<V> onUndecodable(UndecodableListener listener) {
    this.undecodableListener = listener;
    return this;
  }

  /** Starts following the topic; returns at once. */
  public synchronized TopicMirror<V> start() {
    if (thread != null) {
      return this;
    }
    consumer = meters.consumer(new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    thread = new Thread(this::run, "mirror-" + topic.name());
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** A caller of {@link #whenApplied}: the positions it waits for and its future. */
  private record Waiter(Map<Integer, Long> endOffsets, CompletableFuture<Void> done) {}

  private void run() {
    try {
      List<TopicPartition> partitions = findPartitions();
      synchronized (progress) {
        this.partitions = partitions.stream().map(TopicPartition::partition).toList();
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> initialEnd = consumer.endOffsets(partitions);
      while (running) {
        var records = consumer.poll(POLL);
        for (ConsumerRecord<byte[], byte[]> r : records) {
          apply(r);
        }
        List<CompletableFuture<Void>> reached = new ArrayList<>();
        synchronized (progress) {
          for (TopicPartition tp : partitions) {
            applied.put(tp.partition(), consumer.position(tp));
          }
          if (!ready && initialEnd.entrySet().stream()
              .allMatch(e -> applied.getOrDefault(e.getKey().partition(), 0L) >= e.getValue())) {
            ready = true;
            LOG.info("Mirror of {} is ready with {} entries", topic.name(), values.size());
          }
          for (var it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (reached(w.endOffsets())) {
              it.remove();
              reached.add(w.done());
            }
          }
          progress.notifyAll();
        }
        reached.forEach(f -> f.complete(null));
      }
    } catch (WakeupException e) {
      if (running) {
        fail(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      stop();
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /** No more progress: whoever still waits is told so rather than left waiting forever. */
  private void stop() {
    List<Waiter> left;
    synchronized (progress) {
      stopped = true;
      left = new ArrayList<>(waiters);
      waiters.clear();
    }
    IllegalStateException stop = stoppedError();
    left.forEach(w -> w.done().completeExceptionally(stop));
  }

  private IllegalStateException stoppedError() {
    return failure == null
        ? new IllegalStateException("Mirror of " + topic.name() + " was closed")
        : new IllegalStateException("Mirror of " + topic.name() + " failed", failure);
  }

  /** Under {@code progress}: every partition's applied position is at or past its end offset. */
  private boolean reached(Map<Integer, Long> endOffsets) {
    return endOffsets.entrySet().stream().allMatch(e -> applied.getOrDefault(e.getKey(), 0L) >= e.getValue());
  }

  /**
   * The topic's partitions. A topic created a moment ago by another client may not be in this
   * client's metadata yet, so an empty answer is asked again (bounded, with a short back-off)
   * before the topic is declared missing.
   */
  private List<TopicPartition> findPartitions() throws InterruptedException {
    long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
    while (true) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      }
      if (!running || System.nanoTime() > deadline) {
        throw new IllegalStateException("Topic " + topic.name() + " does not exist");
      }
      synchronized (progress) {
        progress.wait(METADATA_BACKOFF.toMillis());
      }
    }
  }

  private void fail(Throwable e) {
    LOG.error("Mirror of {} stopped", topic.name(), e);
    failure = e;
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    String key;
    try {
      key = topic.keySerde().deserializer().deserialize(r.topic(), r.key());
    } catch (RuntimeException e) {
      key = null;
    }
    if (key == null) {
      // A compacted topic refuses records without a key, so this concerns no entry.
      LOG.error("Skipping record without a readable key {}-{}@{}", r.topic(), r.partition(), r.offset());
      return;
    }
    V value;
    try {
      value = r.value() == null ? null : topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
    } catch (SchemaRegistryException e) {
      // The schema registry did not answer: the record is not undecodable, the mirror cannot go on.
      throw e;
    } catch (RuntimeException e) {
      hold(key, r, e);
      return;
    }
    undecodable.remove(key);
    V previous = value == null ? values.remove(key) : values.put(key, value);
    try {
      listener.changed(key, previous, value);
    } catch (RuntimeException e) {
      LOG.error("Change listener failed for key {} of {}", key, topic.name(), e);
    }
  }

  private void hold(String key, ConsumerRecord<byte[], byte[]> r, RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Undecodable held = new Undecodable(key, r.partition(), r.offset(), UNDECODABLE, message, r.key(), r.value(),
        r.headers().toArray());
    undecodable.put(key, held);
    undecodableSeen.incrementAndGet();
    LOG.error("Undecodable record for key {} ({}); its previous value stays in force", key, held.describe(r.topic()));
    try {
      undecodableListener.undecodable(held);
    } catch (RuntimeException failure) {
      LOG.error("Undecodable-record listener failed for key {} of {}", key, topic.name(), failure);
    }
  }

  /**
   * The keys whose latest record could not be decoded, with that record: each keeps its previous
   * value (or stays absent) until a decodable record or a tombstone replaces it.
   */
  public Map<String, Undecodable> undecodable() {
    return Map.copyOf(undecodable);
  }

  /** How many undecodable records this mirror has read since it started (re-reads after a restart count again). */
  public long undecodableSeen() {
    return undecodableSeen.get();
  }

  public Optional<V> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  public Collection<V> values() {
    return values.values();
  }

  public boolean isReady() {
    return ready && failure == null;
  }

  /** Why the mirror stopped following the topic, or null while it follows it. */
  public Throwable failure() {
    return failure;
  }

  /** The partitions followed (empty until the mirror has found the topic). */
  public List<Integer> partitions() {
    synchronized (progress) {
      return partitions;
    }
  }

  /** Blocks until the initial contents of the topic are loaded. */
  public void awaitReady(Duration timeout) throws TimeoutException, InterruptedException {
    awaitCondition(() -> ready, timeout, "initial load of " + topic.name());
  }

  /** Blocks until the record at {@code offset} of {@code partition} has been applied. */
  public void awaitApplied(int partition, long offset, Duration timeout) throws TimeoutException, InterruptedException {
    awaitCondition(() -> applied.getOrDefault(partition, -1L) > offset, timeout,
        "offset " + offset + " of " + topic.name() + "-" + partition);
  }

  /**
   * Completes once, for every partition in {@code endOffsets}, every record before the given
   * offset (a log-end offset, exclusive) has been applied; at once if that is already the case.
   * Never blocks: the future is completed on the mirror thread, right after the poll that got
   * there, and fails if the mirror stops first. A partition the mirror does not follow counts as
   * applied up to offset 0.
   */
  public CompletableFuture<Void> whenApplied(Map<Integer, Long> endOffsets) {
    Map<Integer, Long> wanted = Map.copyOf(endOffsets);
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (progress) {
      if (reached(wanted)) {
        done.complete(null);
      } else if (stopped) {
        done.completeExceptionally(stoppedError());
      } else {
        waiters.add(new Waiter(wanted, done));
      }
    }
    return done;
  }

  private void awaitCondition(java.util.function.BooleanSupplier done, Duration timeout, String what)
      throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (!done.getAsBoolean()) {
        if (failure != null) {
          throw new IllegalStateException("Mirror of " + topic.name() + " failed", failure);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("Timed out waiting for " + what);
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      consumer.wakeup();
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      stop();
    }
  }
}
