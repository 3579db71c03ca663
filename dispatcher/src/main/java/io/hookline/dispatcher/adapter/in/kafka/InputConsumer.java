package io.hookline.dispatcher.adapter.in.kafka;

import io.hookline.avro.RetryRequest;
import io.hookline.dispatcher.application.DeliveryService;
import io.hookline.dispatcher.application.EventValidation;
import io.hookline.dispatcher.application.FatalFailure;
import io.hookline.dispatcher.application.OffsetTracker;
import io.hookline.dispatcher.application.OutcomeLog;
import io.hookline.dispatcher.application.PendingRecord;
import io.hookline.dispatcher.application.SubscriptionGate;
import io.hookline.runtime.GroupMembership;
import io.hookline.runtime.metrics.KafkaClientMeters;
import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.SchemaRegistryException;
import io.hookline.schemas.SubscriptionMarkerHeaders;
import io.hookline.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's only Kafka consumer: one thread polls the events and redeliveries topics,
 * decodes each record and hands it to the {@link DeliveryService}; it never waits for HTTP, for
 * producer acknowledgements or for the subscriptions.
 *
 * <p><b>Subscriptions first.</b> The decoded records of each poll pass the {@link SubscriptionGate}
 * before they are dispatched, in order. The first batch after start or after new partitions were
 * assigned, every batch from a poll that read a subscription marker ({@link SubscriptionMarkerHeaders},
 * written to every events partition by the API after each confirmed change and before its answer)
 * and every batch holding a redelivery waits until the subscriptions include every change written
 * before it was polled; the batches after it wait behind it. So an event published after a change
 * was confirmed is matched with the change applied, and polls of events with no marker need no
 * look-up. Redeliveries always ask: the retry-scheduler writes them in transactions, which a marker
 * cannot be ordered after. A marker without a value is done once read. Meanwhile the loop keeps
 * polling; held records count as backlog.
 *
 * <p><b>At-least-once.</b> Offsets are committed by this thread only, periodically and on
 * revocation and shutdown, and only up to the first record whose outcomes are not all acknowledged
 * ({@link OffsetTracker}). After a crash, or when a partition moves to another instance, the
 * records past the committed offset are processed again: their executions keep their ids, so a
 * receiver may see the same {@code webhook-id} twice, but no event is lost. On revocation the
 * revoked partitions' unfinished records are forgotten here; their new owner redelivers them.
 *
 * <p><b>Bounded memory.</b> When more than {@code maxQueued} executions are waiting or in flight,
 * every assigned partition is paused until the backlog drains below half; polling goes on, so the
 * group membership is kept.
 *
 * <p><b>Committed input only.</b> The consumer reads {@code read_committed}: records of a transaction
 * that was aborted are never dispatched, and those of an open one wait for its commit.
 *
 * <p><b>Bad input.</b> A record that cannot be decoded is copied byte for byte to the invalid-events
 * topic with the reason, and counts as done once that copy is acknowledged; so is an event that
 * fails its type's schema ({@link EventValidation}, checked past the gate). If an outcome cannot be
 * written at all, the loop stops without committing past it ({@link FatalFailure}).
 */
public final class InputConsumer implements Runnable, ConsumerRebalanceListener {

  private static final Logger LOG = LoggerFactory.getLogger(InputConsumer.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Topic<String, byte[]> events;
  private final Topic<String, RetryRequest> redeliveries;
  private final InputDecoding decoding;
  private final DeliveryService delivery;
  private final SubscriptionGate gate;
  private final OutcomeLog log;
  private final FatalFailure fatal;
  private final int maxQueued;
  private final Duration drainTimeout;
  private final long commitIntervalNanos;
  private final InputOffsets offsets;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean paused;
  private volatile long pauses;
  private volatile boolean assignedOnce;
  private final RedeliveryOwnership ownership;
  private volatile long lastPollNanos = System.nanoTime();
  private long lastCommit = System.nanoTime();
  private OrderedConsumer ordered; // reads the ordered log for the redeliveries partitions assigned here, or null
  private boolean lookUpNext = true; // the next batch waits for the subscriptions to catch up (see the class comment)

  public InputConsumer(Map<String, Object> clientProps, String groupId, HooklineTopics topics, DeliveryService delivery,
      SubscriptionGate gate, OutcomeLog log, FatalFailure fatal, int maxQueued, Duration drainTimeout, Duration commitInterval,
      KafkaClientMeters meters) {
    this(clientProps, groupId, topics, delivery, gate, log, fatal, maxQueued, drainTimeout, commitInterval, meters,
        new RedeliveryOwnership(topics.redeliveries()));
  }

  /** Keeping {@code ownership} up to date with its assignment. */
  public InputConsumer(Map<String, Object> clientProps, String groupId, HooklineTopics topics, DeliveryService delivery,
      SubscriptionGate gate, OutcomeLog log, FatalFailure fatal, int maxQueued, Duration drainTimeout, Duration commitInterval,
      KafkaClientMeters meters, RedeliveryOwnership ownership) {
    this.ownership = ownership;
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Records of an aborted transaction were never published: neither an event from a transactional
    // producer nor a redelivery from a retry-scheduler turn that did not commit is dispatched.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-input");
    // Only partitions that move are revoked on a rebalance, so work in flight elsewhere is kept.
    props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    this.consumer = meters.consumer(new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    this.offsets = new InputOffsets(consumer);
    this.events = topics.events();
    this.redeliveries = topics.redeliveries();
    this.decoding = new InputDecoding(topics, delivery);
    this.delivery = delivery;
    this.gate = gate;
    this.log = log;
    this.fatal = fatal;
    this.maxQueued = maxQueued;
    this.drainTimeout = drainTimeout;
    this.commitIntervalNanos = commitInterval.toNanos();
  }

  /** Checks every event against its type's schema before dispatching it; set before {@link #run}. */
  public InputConsumer validating(EventValidation validation) {
    decoding.validating(validation);
    return this;
  }

  /** Reads the ordered log too, from this consumer's thread; set before {@link #run}. */
  public InputConsumer reading(OrderedConsumer ordered) {
    this.ordered = ordered;
    return this;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(events.name(), redeliveries.name()), this);
      while (running && fatal.get() == null) {
        ConsumerRecords<byte[], byte[]> records;
        lastPollNanos = System.nanoTime();
        try {
          records = consumer.poll(POLL);
        } catch (WakeupException e) {
          continue;
        }
        List<Runnable> decoded = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
          handle(r, decoded);
        }
        if (!decoded.isEmpty()) {
          gate.pass(() -> decoded.forEach(Runnable::run), decoded.size(), lookUpNext);
          lookUpNext = false;
        }
        if (ordered != null) {
          ordered.poll();
        }
        applyBackPressure();
        if (System.nanoTime() - lastCommit >= commitIntervalNanos) {
          commitAsync();
        }
      }
    } catch (RuntimeException e) {
      fatal.report(e);
    } finally {
      shutDown();
    }
  }

  /** Asks the loop to stop; it finishes in-flight requests, flushes, commits and closes. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  /** True while input is paused because too many executions are waiting. */
  public boolean paused() {
    return paused;
  }

  /** How many times input was paused since start. */
  public long pauses() {
    return pauses;
  }

  /** True once the group gave this consumer its first assignment (possibly empty: more instances than partitions). */
  public boolean assigned() {
    return assignedOnce;
  }

  /** How long ago the loop last polled (it polls at least every 100 ms while it runs). */
  public Duration sinceLastPoll() {
    return Duration.ofNanos(System.nanoTime() - lastPollNanos);
  }

  /** True until the loop has ended (stopped, or stopped by a fatal failure). */
  public boolean running() {
    return finished.getCount() > 0;
  }

  /** Waits until the loop has shut down; false on timeout. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Tracks the record as in progress at once (the commit point stays before it until it is done),
   * rejects it if it cannot be decoded, else adds its dispatch to {@code decoded}.
   */
  private void handle(ConsumerRecord<byte[], byte[]> r, List<Runnable> decoded) {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    OffsetTracker tracker = offsets.tracker(tp);
    long offset = r.offset();
    tracker.track(offset);
    PendingRecord pending = new PendingRecord(() -> tracker.complete(offset), tracker::revoked);
    if (!r.topic().equals(events.name())) {
      lookUpNext = true;
    } else if (SubscriptionMarkerHeaders.marks(r.headers())) {
      lookUpNext = true;
      if (r.value() == null || r.value().length == 0) {
        pending.release();
        return;
      }
    }
    Runnable dispatch = null;
    boolean unread = false;
    try {
      dispatch = r.topic().equals(events.name()) ? decoding.event(r, pending) : decoding.redelivery(r, pending);
    } catch (SchemaRegistryException e) {
      // The schema registry did not answer within its bound: the record is not refused, it stays
      // unprocessed (never released, so no commit passes it) and the dispatcher stops.
      unread = true;
      throw e;
    } catch (RuntimeException e) {
      // Decoded but unusable (e.g. a retry request whose event payload is not JSON): kept, not retried forever.
      delivery.reject(InputDecoding.invalid(r, "PROCESSING_ERROR", String.valueOf(e.getMessage())), pending);
    } finally {
      if (dispatch == null && !unread) {
        pending.release();
      }
    }
    if (dispatch != null) {
      Runnable work = dispatch;
      decoded.add(() -> dispatchPassed(r, tracker, pending, work));
    }
  }

  /** On the gate's thread, once the subscriptions are up to date for this record. */
  private void dispatchPassed(ConsumerRecord<byte[], byte[]> r, OffsetTracker tracker, PendingRecord pending, Runnable work) {
    try {
      if (!tracker.revoked()) { // else its partition moved: the new owner processes it again
        work.run();
      }
    } catch (RuntimeException e) {
      delivery.reject(InputDecoding.invalid(r, "PROCESSING_ERROR", String.valueOf(e.getMessage())), pending);
    } finally {
      pending.release();
    }
  }

  /** Executions admitted plus input records held at the gate plus redeliveries held until due. */
  public int backlog() {
    return gate.held() + delivery.admitted() + delivery.heldUntilDue();
  }

  private void applyBackPressure() {
    int admitted = backlog();
    if (!paused && admitted > maxQueued) {
      consumer.pause(consumer.assignment());
      pauses++;
      paused = true;
      LOG.info("{} executions and held records waiting (bound {}): input paused", admitted, maxQueued);
    } else if (paused && admitted < maxQueued / 2) {
      consumer.resume(consumer.paused());
      paused = false;
      LOG.info("{} executions and held records waiting: input resumed", admitted);
    }
  }

  private void commitAsync() {
    lastCommit = System.nanoTime();
    if (ordered != null) {
      ordered.commitAsync();
    }
    offsets.commitAsync();
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    offsets.assigned(partitions);
    lookUpNext |= !partitions.isEmpty(); // their earlier markers were read elsewhere, or never written (new partitions)
    if (paused) {
      consumer.pause(partitions);
    }
    ownership.assigned(partitions, consumer.partitionsFor(redeliveries.name()).size());
    if (ordered != null) {
      ordered.assigned(partitions);
    }
    assignedOnce = true;
    LOG.info("Assigned {}", partitions);
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (ordered != null) {
      ordered.revoked(partitions, true);
    }
    offsets.commitSync(partitions);
    forget(partitions);
    LOG.info("Revoked {}", partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    if (ordered != null) {
      ordered.revoked(partitions, false);
    }
    forget(partitions);
    LOG.warn("Lost {}", partitions);
  }

  private void forget(Collection<TopicPartition> partitions) {
    ownership.revoked(partitions);
    offsets.forget(partitions);
  }

  private void shutDown() {
    try {
      gate.close();
      delivery.stop();
      if (fatal.get() == null) {
        if (!delivery.awaitIdle(drainTimeout)) {
          LOG.warn("{} requests still in flight at shutdown; their records will be processed again", delivery.inFlight());
        }
        log.flush();
      }
      offsets.commitAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("Error while shutting the input consumer down", e);
    } finally {
      try {
        // Leaving (static member or not) hands the partitions to the other instances at once.
        GroupMembership.leave(consumer, Duration.ofSeconds(5)); // revokes (and commits) the ordered partitions too
        if (ordered != null) {
          ordered.close();
        }
      } catch (RuntimeException e) {
        LOG.warn("Error closing the input consumer", e);
      }
      finished.countDown();
    }
  }
}
