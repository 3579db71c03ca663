package io.hookline.retryscheduler.adapter.in.kafka;

import io.hookline.retryscheduler.application.RetryRelay;
import io.hookline.retryscheduler.domain.ReleaseLateness;
import io.hookline.runtime.management.ProbeResult;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves scheduled retries from the delayed retry topics, and executions the dispatcher parked
 * ({@code hookline.parked}), to {@code hookline.redeliveries} when they come due, on a thread of
 * its own that runs the {@link RetryRelay} turn after turn.
 *
 * <p>Every record of one retry topic waits the same delay (parked records: the dispatcher's park
 * delay), so due times only grow along a partition and only each partition's head record needs
 * watching. (Should a record ever sit behind one due later, it waits for that one: per-partition
 * order wins over punctuality.) Records read but not due yet wait in memory and are released from
 * there; the poll loop never sleeps, so a partition waiting an hour never holds back another
 * partition or another retry topic. Records of one retry partition are released in offset order,
 * each exactly once, in transactions that also commit the consumer offsets; records of different
 * retry topics (different delays) have no mutual order.
 *
 * <p>A fatal error (fenced by a newer instance with the same transactional id, authorization, an
 * unsupported broker) stops the scheduler loudly: the loop ends, the clients close, {@link
 * #failure()} tells why, and the application exits non-zero. So does a schema registry that does
 * not answer within its bound while a record's due time is read (a {@code SchemaRegistryException}):
 * that record is neither released nor refused as invalid, no offset past it is committed, and the
 * restarted scheduler reads it again, once the registry answers.
 *
 * <p>The Kafka clients belong to the loop thread once {@link #start()} is called; other threads
 * only call {@link #close()} and read the views.
 */
public final class RetryScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RetryScheduler.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  /** A turn polls for at most the max poll wait (100 ms by default); this long without one means the loop is stuck. */
  static final Duration WEDGED_AFTER = Duration.ofSeconds(60);

  private final RetryRelay<TopicPartition, ?> relay;
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile long lastTurnNanos = System.nanoTime();

  public RetryScheduler(RetryRelay<TopicPartition, ?> relay) {
    this.relay = Objects.requireNonNull(relay, "relay");
    this.thread = new Thread(this::run, "retry-scheduler");
  }

  /**
   * Registers the transactional id with the broker (fencing any older instance that used it and
   * aborting its open transaction), subscribes to every retry topic and starts the loop.
   */
  public RetryScheduler start() {
    relay.start();
    thread.start();
    return this;
  }

  private void run() {
    Throwable failure = null;
    try {
      relay.subscribe();
      while (!stopping) {
        lastTurnNanos = System.nanoTime();
        relay.turn();
      }
    } catch (WakeupException e) {
      if (!stopping) {
        failure = e;
      }
    } catch (Throwable e) {
      failure = e;
    } finally {
      relay.close(failure != null);
      if (failure == null) {
        LOG.info("Retry scheduler stopped; {}", lateness().snapshot());
        terminated.complete(null);
      } else {
        LOG.error("Retry scheduler STOPPED on a fatal error; no more retries are released by this instance", failure);
        terminated.completeExceptionally(failure);
      }
    }
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
    relay.wakeup();
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
    } catch (CompletionException e) {
      return Optional.of(e.getCause());
    }
  }

  public boolean isRunning() {
    return thread.isAlive() && !terminated.isDone();
  }

  /** Ready to release retries: the loop runs and the consumer group gave this instance its assignment. */
  public ProbeResult readiness() {
    Optional<Throwable> failed = failure();
    if (failed.isPresent()) {
      return ProbeResult.down("stopped: " + failed.get());
    }
    if (!relay.assignedOnce()) {
      return ProbeResult.down("waiting for the consumer group's assignment");
    }
    return ProbeResult.up(Map.of("assigned_partitions", assignedPartitions().size(), "pending", pendingRecords()));
  }

  /** Alive unless the loop stopped on a fatal error or has not turned for {@link #WEDGED_AFTER}. */
  public ProbeResult liveness() {
    Optional<Throwable> failed = failure();
    if (failed.isPresent()) {
      return ProbeResult.down("stopped: " + failed.get());
    }
    Duration since = Duration.ofNanos(System.nanoTime() - lastTurnNanos);
    if (!stopping && since.compareTo(WEDGED_AFTER) > 0) {
      return ProbeResult.down("the loop has not turned for " + since.toSeconds() + " s");
    }
    return ProbeResult.up(Map.of());
  }

  /** Records read and held in memory, not released yet, as of the last turn of the loop. */
  public int pendingRecords() {
    int sum = 0;
    for (int held : heldRecords().values()) {
      sum += held;
    }
    return sum;
  }

  /** Retry partitions paused (holding their read-ahead, or in abort back-off), as of the last turn. */
  public int pausedPartitions() {
    return relay.pausedPartitions();
  }

  /** Transactions committed since start. */
  public long committedTransactions() {
    return relay.metrics().committedTransactions();
  }

  /** Records released since start. */
  public long recordsReleased() {
    return relay.metrics().recordsReleased();
  }

  /** The partitions this instance owns, as of the last rebalance. */
  public Set<TopicPartition> assignedPartitions() {
    return relay.assignedPartitions();
  }

  /** The partitions holding records not due yet or in abort back-off, as of the last turn of the loop. */
  public Set<TopicPartition> heldPartitions() {
    return relay.heldPartitions();
  }

  /**
   * How many records each partition holds in memory, read but not released yet, as of the last
   * turn of the loop (only partitions holding any).
   */
  public Map<TopicPartition, Integer> heldRecords() {
    return relay.heldRecords();
  }

  /** The most records one partition has held in memory at once, since start. */
  public int mostRecordsHeldByOnePartition() {
    return relay.metrics().mostRecordsHeldByOnePartition();
  }

  /** Records read from the retry topics so far, counting every read (a record read again counts again). */
  public long recordsRead() {
    return relay.metrics().recordsRead();
  }

  public ReleaseLateness lateness() {
    return relay.metrics().lateness();
  }

  /** Records sent to the invalid-records topic because they were not RetryRequests. */
  public long invalidRecords() {
    return relay.metrics().invalidRecords();
  }

  /** Transactions aborted on an abortable error and released again. */
  public long abortedTransactions() {
    return relay.metrics().abortedTransactions();
  }
}
