package io.hookline.retryscheduler.application;

import io.hookline.retryscheduler.application.port.in.PartitionOwnership;
import io.hookline.retryscheduler.application.port.out.AbortableReleaseException;
import io.hookline.retryscheduler.application.port.out.ReleaseTransactions;
import io.hookline.retryscheduler.application.port.out.RetryFeed;
import io.hookline.retryscheduler.application.port.out.RetryFeed.Polled;
import io.hookline.retryscheduler.domain.PendingRetries;
import io.hookline.retryscheduler.domain.ReleaseLateness;
import io.hookline.retryscheduler.domain.ReleaseLead;
import io.hookline.retryscheduler.domain.ScheduledRetry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One turn of the scheduler's loop after another: read what is there (no longer than the time to
 * the next hand-off), keep it in memory ({@link PendingRetries}), release everything due within the
 * release lead ({@link Timing#releaseLead()}) over all partitions in one transaction, then pause
 * the partitions that hold enough and resume the drained ones ({@link PartitionFlowControl}). It never waits on a partition, and never reads a record
 * twice to wait for it.
 *
 * <p>A transaction that fails with an abortable error is aborted, the records the affected
 * partitions hold are dropped, and those partitions, set back to their last committed offsets,
 * are held for {@code abortBackoff} and then read and released again. Any other error ends the
 * loop. On a rebalance the records and timers of partitions that leave are dropped (the next owner
 * reads them again from the committed offset) and partitions that arrive start afresh.
 *
 * <p>The loop thread alone calls {@link #turn()} and the ownership callbacks; any thread may read
 * the views ({@link #assignedPartitions()}, {@link #heldPartitions()}, {@link #heldRecords()}).
 *
 * @param <P> how a partition is named
 * @param <R> a record read from a partition
 */
public final class RetryRelay<P, R extends ScheduledRetry> implements PartitionOwnership<P> {

  private static final Logger LOG = LoggerFactory.getLogger(RetryRelay.class);

  /**
   * Timing of the loop. {@code releaseLead}: how long before its due time a record is handed to the
   * dispatcher, which holds it until then (zero: at its due time), so the transaction and the
   * dispatcher's read happen before the attempt is due instead of after.
   */
  public record Timing(Duration maxPollWait, Duration abortBackoff, Duration metricsLogInterval, Duration releaseLead) {
    public Timing {
      Objects.requireNonNull(maxPollWait, "maxPollWait");
      Objects.requireNonNull(abortBackoff, "abortBackoff");
      Objects.requireNonNull(metricsLogInterval, "metricsLogInterval");
      Objects.requireNonNull(releaseLead, "releaseLead");
      if (releaseLead.isNegative()) {
        throw new IllegalArgumentException("releaseLead must not be negative, was " + releaseLead);
      }
    }

    /** Records handed over at their due time. */
    public Timing(Duration maxPollWait, Duration abortBackoff, Duration metricsLogInterval) {
      this(maxPollWait, abortBackoff, metricsLogInterval, Duration.ZERO);
    }
  }

  private final RetryFeed<P, R> feed;
  private final ReleaseTransactions<P, R> transactions;
  private final long maxPollWaitMs;
  private final ReleaseLead lead;
  private final Clock clock;
  private final PendingRetries<P, R> pending = new PendingRetries<>();
  private final PartitionFlowControl<P> flow;
  private final SchedulerMetrics metrics;

  private volatile Set<P> assignedSnapshot = Set.of();
  private volatile Set<P> heldSnapshot = Set.of();
  private volatile Map<P, Integer> heldRecordsSnapshot = Map.of();
  private volatile int pausedSnapshot;
  private volatile boolean assignedOnce;

  public RetryRelay(RetryFeed<P, R> feed, ReleaseTransactions<P, R> transactions, ReleaseLateness lateness,
      Timing timing, int readAhead, Clock clock) {
    this(feed, transactions, lateness, timing, readAhead, clock, ReleaseListener.NONE);
  }

  /** Telling {@code listener} of every release. */
  public RetryRelay(RetryFeed<P, R> feed, ReleaseTransactions<P, R> transactions, ReleaseLateness lateness,
      Timing timing, int readAhead, Clock clock, ReleaseListener listener) {
    this.feed = Objects.requireNonNull(feed, "feed");
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    Objects.requireNonNull(timing, "timing");
    this.maxPollWaitMs = timing.maxPollWait().toMillis();
    this.lead = ReleaseLead.of(timing.releaseLead());
    this.clock = Objects.requireNonNull(clock, "clock");
    this.flow = new PartitionFlowControl<>(feed, pending, readAhead, timing.abortBackoff());
    this.metrics = new SchedulerMetrics(Objects.requireNonNull(lateness, "lateness"), timing.metricsLogInterval(),
        Objects.requireNonNull(listener, "listener"));
  }

  /** Readies the transactions; called before the loop starts, on the starting thread. */
  public void start() {
    transactions.start();
  }

  /** Joins the consumer group; the first call of the loop thread. */
  public void subscribe() {
    feed.subscribe(this);
    metrics.started(clock.millis());
  }

  /**
   * One turn: resume what finished its abort back-off, poll, keep what was read, release everything
   * due in one transaction, then pause the partitions that still hold records and resume the ones
   * that are drained.
   */
  public void turn() {
    long now = clock.millis();
    flow.resumeAfterBackoff(now);
    Polled<P> polled = feed.pollInto(pollTimeout(now), pending);
    if (!polled.isEmpty()) {
      metrics.read(polled.count());
      for (P partition : polled.partitions()) {
        metrics.heldByOnePartition(pending.size(partition));
      }
    }
    Map<P, List<R>> due = pending.takeDue(lead.horizon(clock.millis()));
    if (!due.isEmpty()) {
      release(due);
    }
    if (!polled.isEmpty() || !due.isEmpty()) {
      flow.pauseOrResume(polled.partitions(), due.keySet());
    }
    snapshot();
    metrics.logSummaryWhenDue(clock.millis(), pending);
  }

  private Duration pollTimeout(long now) {
    long wait = maxPollWaitMs;
    OptionalLong next = earliest(lead.handOffAt(pending.nextDueAt()), flow.nextWakeUp());
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

  /** Releases every due record, of every partition, in one transaction. */
  private void release(Map<P, List<R>> due) {
    try {
      transactions.commit(due);
    } catch (AbortableReleaseException e) {
      metrics.aborted();
      Set<P> rewound = transactions.abortAndRewind(due, e);
      if (!rewound.isEmpty()) {
        // What was read past the aborted batch is read again from the committed offset too.
        pending.drop(rewound);
        flow.holdAfterAbort(rewound, clock.millis());
      }
      return;
    }
    metrics.committed();
    long releasedAt = clock.millis();
    for (List<R> records : due.values()) {
      for (R record : records) {
        if (record.schedulable()) {
          metrics.released(lead.handOffAt(record.dueAt()), releasedAt);
        } else {
          metrics.invalid();
        }
      }
    }
  }

  private void snapshot() {
    heldSnapshot = flow.held();
    pausedSnapshot = flow.pausedCount();
    Map<P, Integer> counts = new HashMap<>();
    for (P partition : pending.partitions()) {
      counts.put(partition, pending.size(partition));
    }
    heldRecordsSnapshot = Map.copyOf(counts);
  }

  @Override
  public void assigned(Collection<P> partitions) {
    // A partition paused here before a revocation must not come back paused with no timer, nor
    // with records read before: it is read again from its committed offset.
    pending.drop(partitions);
    flow.assigned(partitions);
    assignedSnapshot = Set.copyOf(feed.assignment());
    assignedOnce = true;
    snapshot();
    if (!partitions.isEmpty()) {
      LOG.info("Assigned {} (resumed; due times are read again from the committed offsets)", partitions);
    }
  }

  @Override
  public void revoked(Collection<P> partitions, boolean lost) {
    // Their offsets past the last commit were never committed: the next owner reads them again.
    pending.drop(partitions);
    flow.forget(partitions);
    Set<P> remaining = new HashSet<>(feed.assignment());
    remaining.removeAll(partitions);
    assignedSnapshot = Set.copyOf(remaining);
    snapshot();
    if (!partitions.isEmpty()) {
      LOG.info("Partitions {}: {}", lost ? "lost" : "revoked", partitions);
    }
  }

  /** Ends the transaction left open, if any, and closes the clients; the views become empty. */
  public void close(boolean failed) {
    try {
      transactions.close(failed);
    } finally {
      feed.close();
      assignedSnapshot = Set.of();
      heldSnapshot = Set.of();
      heldRecordsSnapshot = Map.of();
      pausedSnapshot = 0;
    }
  }

  /** Makes the loop's poll in progress, or its next one, throw; any thread. */
  public void wakeup() {
    feed.wakeup();
  }

  public SchedulerMetrics metrics() {
    return metrics;
  }

  /** The partitions this instance owns, as of the last rebalance. */
  public Set<P> assignedPartitions() {
    return assignedSnapshot;
  }

  /** True once the consumer group gave this instance its first assignment (possibly empty). */
  public boolean assignedOnce() {
    return assignedOnce;
  }

  /** Retry partitions paused (holding their read-ahead, or in abort back-off), as of the last turn. */
  public int pausedPartitions() {
    return pausedSnapshot;
  }

  /** The partitions holding records or in abort back-off, as of the last turn of the loop. */
  public Set<P> heldPartitions() {
    return heldSnapshot;
  }

  /** How many records each partition holds in memory, as of the last turn (only partitions holding any). */
  public Map<P, Integer> heldRecords() {
    return heldRecordsSnapshot;
  }
}
