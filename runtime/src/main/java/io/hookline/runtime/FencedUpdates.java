package io.hookline.runtime;

import io.hookline.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-modify-write of single keys of a compacted topic, serialised across every process that
 * writes the topic through this class: a change is always computed from the latest value of its key,
 * so no acknowledged change is ever overwritten by one that did not see it (no lost update), and a
 * conditional change (an expected revision) is checked against the latest value.
 *
 * <p>Kafka has no compare-and-set; the exclusion comes from transactional fencing. Every write to
 * partition {@code p} of the topic is made by a transactional producer whose {@code transactional.id}
 * is derived from the topic and {@code p}, the same in every process. Initialising it bumps the
 * producer epoch, which aborts the open transaction of the previous holder, wherever it runs, and
 * makes every later send or commit of that holder fail with {@code ProducerFencedException}. Before
 * each batch the writer brings its {@link TopicMirror} (read-committed) up to the partition's last
 * stable offset, reads the current values there, computes the batch and commits it. A commit that
 * succeeds proves that nobody took the partition over since this writer initialised, so nothing was
 * committed between its catch-up and its commit except by itself: the values it computed from were
 * the latest. A fenced writer drops its batch (aborted, never visible to read-committed readers and
 * removed by the log cleaner, so compaction always keeps a valid value), takes the partition back
 * and computes the batch again from the now-current values: a plain change is re-applied on top of
 * the other's changes, a conditional one is checked again.
 *
 * <p>Why not only route every write of a key to one owner instance (the partition's owner in Kafka
 * Streams): ownership moves during a rebalance, and a paused instance does not know it lost it, so
 * two owners can overlap for a moment and both write. Fencing makes such overlaps harmless; this
 * class needs no routing at all. Contention between processes costs a take-over (one
 * {@code InitProducerId} and a catch-up) per batch, so changes wait in a queue per partition and
 * are written in batches of one transaction each (group commit): under contention each take-over
 * carries every change waiting in that process.
 *
 * <p>A change is answered only once its batch is committed and applied to this process's mirror, so
 * every following read here sees it, and, when {@link #marking} is set, once the dispatchers' input
 * topics carry a {@link SubscriptionMarkers} marker written after the commit. Writers that bypass
 * this class are not excluded.
 */
public final class FencedUpdates<V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FencedUpdates.class);
  private static final int MAX_BATCH = 500;
  /** Least and most back-off after being fenced (see {@link Lane#backOff}). */
  private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final Topic<String, V> topic;
  private final TopicMirror<V> mirror;
  private final Admin admin;
  private final Map<String, Object> producerProps;
  private final Map<String, Object> clientProps;
  private final Duration timeout;
  private final Map<Integer, Lane> lanes = new ConcurrentHashMap<>();
  private final ExecutorService writers;
  private volatile boolean closed;
  private volatile SubscriptionMarkers markers;

  /**
   * {@code mirror} follows {@code topic} and is started; {@code clientProps} are the service's Kafka
   * client settings (bootstrap servers, client id); {@code timeout} bounds every change.
   */
  public FencedUpdates(Topic<String, V> topic, TopicMirror<V> mirror, Admin admin, Map<String, Object> clientProps,
      Duration timeout) {
    this.topic = topic;
    this.mirror = mirror;
    this.admin = admin;
    this.timeout = timeout;
    Map<String, Object> props = new HashMap<>(clientProps);
    int millis = (int) Math.max(1_000, timeout.toMillis());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis);
    // A writer that dies with an open transaction holds back read-committed readers of its partition
    // until the next writer takes over or this timeout aborts it.
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, millis);
    // Taking over while the other writer's transaction is being aborted is retried at this pace.
    props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
    this.producerProps = props;
    this.clientProps = Map.copyOf(clientProps);
    this.writers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fenced-updates-" + topic.name());
      t.setDaemon(true);
      return t;
    });
  }

  /** Answers each written batch only once {@code markers} marked it for the dispatchers; set before writes. */
  public FencedUpdates<V> marking(SubscriptionMarkers markers) {
    this.markers = markers;
    return this;
  }

  /**
   * Applies {@code change} to the latest value of {@code key} and returns its answer once written
   * and visible here. Throws what the change threw, or {@link UnconfirmedChangeException} when it cannot
   * be confirmed within the timeout.
   */
  public <T> T apply(String key, KeyChange<V, T> change) {
    CompletableFuture<T> done = submit(key, change);
    try {
      return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      done.cancel(false);
      throw new UnconfirmedChangeException("A change of " + key + " on " + topic.name() + " was not confirmed within "
          + timeout + "; it may still be applied", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new UnconfirmedChangeException("A change of " + key + " on " + topic.name() + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnconfirmedChangeException("Interrupted while changing " + key, e);
    }
  }

  /**
   * Queues {@code change} of {@code key}; the future completes with its answer once written and
   * visible here. A change whose future is cancelled before its batch is written is dropped.
   */
  public <T> CompletableFuture<T> submit(String key, KeyChange<V, T> change) {
    if (closed) {
      return CompletableFuture.failedFuture(new UnconfirmedChangeException("Writes to " + topic.name() + " are closed", null));
    }
    Pending<T> pending = new Pending<>(key, change, new CompletableFuture<>());
    int partition = partitionOf(key);
    lanes.computeIfAbsent(partition, Lane::new).enqueue(pending);
    return pending.done();
  }

  private int partitionOf(String key) {
    int partitions = mirror.partitions().size();
    if (partitions == 0) {
      throw new UnconfirmedChangeException("The partitions of " + topic.name() + " are not known yet", null);
    }
    byte[] bytes = topic.keySerde().serializer().serialize(topic.name(), key);
    // The default partitioner's choice for a keyed record, so the mirror and every reader agree.
    return Utils.toPositive(Utils.murmur2(bytes)) % partitions;
  }

  /** One change waiting for its batch. */
  private record Pending<T>(String key, KeyChange<?, T> change, CompletableFuture<T> done) {}

  /** What one change of a batch came to: an answer or a refusal, delivered after the commit. */
  private record Settled(Pending<?> pending, Object answer, RuntimeException refusal) {
    @SuppressWarnings("unchecked")
    void deliver() {
      if (refusal != null) {
        pending.done().completeExceptionally(refusal);
      } else {
        ((CompletableFuture<Object>) pending.done()).complete(answer);
      }
    }
  }

  /** The changes of one partition, written one batch at a time by one thread at a time. */
  private final class Lane {

    private final int partition;
    private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** Touched only by the thread that drains. */
    private final PartitionLease lease;
    /** How long a batch takes here, smoothed. */
    private long batchNanos = MIN_BACKOFF_NANOS;

    Lane(int partition) {
      this.partition = partition;
      this.lease = new PartitionLease(new TopicPartition(topic.name(), partition), producerProps, clientProps, admin);
    }

    void enqueue(Pending<?> pending) {
      queue.add(pending);
      schedule();
    }

    private void schedule() {
      if (draining.compareAndSet(false, true)) {
        try {
          writers.execute(this::drain);
        } catch (RuntimeException e) {
          draining.set(false);
          failAll(new UnconfirmedChangeException("Writes to " + topic.name() + " are closed", e));
        }
      }
    }

    private void drain() {
      try {
        while (!closed) {
          List<Pending<?>> batch = new ArrayList<>();
          for (Pending<?> p; batch.size() < MAX_BATCH && (p = queue.poll()) != null; ) {
            batch.add(p);
          }
          if (batch.isEmpty()) {
            break;
          }
          write(batch);
        }
        if (closed) {
          failAll(new UnconfirmedChangeException("Writes to " + topic.name() + " are closed", null));
          lease.release();
        }
      } finally {
        draining.set(false);
      }
      if (!queue.isEmpty() && !closed) {
        schedule();
      }
    }

    private void failAll(RuntimeException e) {
      for (Pending<?> p; (p = queue.poll()) != null; ) {
        p.done().completeExceptionally(e);
      }
    }

    /** Writes the batch, taking the partition back as often as another writer takes it within the timeout. */
    private void write(List<Pending<?>> batch) {
      long deadline = System.nanoTime() + timeout.toNanos();
      for (int takeOvers = 0; ; takeOvers++) {
        batch.removeIf(p -> p.done().isDone());
        if (batch.isEmpty()) {
          return;
        }
        try {
          long started = System.nanoTime();
          List<Settled> settled = writeOnce(batch, deadline);
          batchNanos = (batchNanos + System.nanoTime() - started) / 2;
          settled.forEach(Settled::deliver);
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          lease.release();
          fail(batch, new UnconfirmedChangeException("Interrupted while writing to " + topic.name(), e));
          return;
        } catch (RuntimeException | TimeoutException | ExecutionException e) {
          lease.release();
          if (!PartitionLease.fenced(e)) {
            // The outcome may be unknown (a commit that timed out): the next batch starts afresh
            // with a new producer and a catch-up that shows what was committed.
            LOG.warn("Writing {} changes to {}-{} failed: {}", batch.size(), topic.name(), partition, e.toString());
            fail(batch, new UnconfirmedChangeException("Cannot write to " + topic.name() + ": " + e.getMessage(), e));
            return;
          }
          if (closed || System.nanoTime() > deadline) {
            fail(batch, new UnconfirmedChangeException("Another writer kept " + topic.name() + "-" + partition
                + " busy; try again", e));
            return;
          }
          LOG.debug("{}-{} was taken over by another writer; taking it back for {} changes", topic.name(), partition,
              batch.size());
          backOff(takeOvers);
        }
      }
    }

    /**
     * Waits about as long as a batch takes here before taking the partition back, so the writer
     * that took it over can commit its batch: taking it back at once would abort that batch, and
     * two busy writers would keep aborting each other's work.
     */
    private void backOff(int takeOvers) {
      long base = Math.max(MIN_BACKOFF_NANOS, Math.min(MAX_BACKOFF_NANOS, batchNanos));
      long wait = base + ThreadLocalRandom.current().nextLong(base * Math.min(takeOvers + 1, 4));
      LockSupport.parkNanos(Math.min(MAX_BACKOFF_NANOS, wait));
    }

    private void fail(List<Pending<?>> batch, RuntimeException e) {
      batch.forEach(p -> p.done().completeExceptionally(e));
    }

    private List<Settled> writeOnce(List<Pending<?>> batch, long deadline)
        throws TimeoutException, ExecutionException, InterruptedException {
      Producer<byte[], byte[]> writer = lease.producer();
      lease.catchUp(mirror, left(deadline));
      Map<String, Optional<V>> written = new HashMap<>();
      List<Settled> settled = new ArrayList<>(batch.size());
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      writer.beginTransaction();
      for (Pending<?> p : batch) {
        Optional<V> current = written.containsKey(p.key()) ? written.get(p.key()) : mirror.get(p.key());
        KeyChange.Decision<V, ?> decision;
        try {
          @SuppressWarnings("unchecked")
          KeyChange<V, ?> change = (KeyChange<V, ?>) p.change();
          decision = change.decide(current);
        } catch (RuntimeException refused) {
          settled.add(new Settled(p, null, refused));
          continue;
        }
        if (decision.write()) {
          written.put(p.key(), Optional.ofNullable(decision.value()));
          byte[] key = topic.keySerde().serializer().serialize(topic.name(), p.key());
          byte[] value = decision.value() == null ? null
              : topic.valueSerde().serializer().serialize(topic.name(), decision.value());
          sends.add(writer.send(new ProducerRecord<>(topic.name(), partition, key, value)));
        }
        decision.alongside().forEach(writer::send);
        settled.add(new Settled(p, decision.answer(), null));
      }
      commit(writer, sends, deadline);
      long last = -1;
      for (var send : sends) {
        last = Math.max(last, send.get().offset());
      }
      if (last >= 0) {
        mirror.awaitApplied(partition, last, left(deadline));
        if (markers != null) {
          markers.markAndWait(left(deadline));
        }
      }
      return settled;
    }

    /**
     * Commits, or finds out whether a commit whose answer was an unexpected error (or none)
     * happened: taking the partition again settles the transaction either way, then the first
     * record is read back. Returns when committed; throws {@link Aborted} when not (the batch is
     * then decided again), or the fencing error.
     */
    private void commit(Producer<byte[], byte[]> writer, List<Future<RecordMetadata>> sends, long deadline)
        throws TimeoutException, InterruptedException {
      try {
        writer.commitTransaction();
      } catch (RuntimeException e) {
        if (PartitionLease.fenced(e) || sends.isEmpty()) {
          throw e;
        }
        long first;
        try {
          first = sends.get(0).get(left(deadline).toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (ExecutionException notWritten) {
          throw new PartitionLease.Aborted(e);
        }
        lease.release();
        lease.producer();
        if (!lease.committed(first, left(deadline))) {
          throw new PartitionLease.Aborted(e);
        }
        LOG.info("The commit to {}-{} answered {} but had happened", topic.name(), partition, e.toString());
      }
    }

    /** After the writer threads ended: no thread uses the producer any more. */
    void close() {
      lease.release();
    }
  }

  private static Duration left(long deadline) {
    return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
  }

  @Override
  public void close() {
    closed = true;
    writers.shutdown();
    try {
      if (!writers.awaitTermination(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS)) {
        writers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lanes.values().forEach(Lane::close);
  }
}
