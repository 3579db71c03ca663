package io.hookline.retryscheduler.application;

import io.hookline.retryscheduler.domain.PendingRetries;
import io.hookline.retryscheduler.domain.ReleaseLateness;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scheduler has done, counted by its loop and read by any thread: records read, records
 * held, invalid records, aborted transactions and the lateness of every release, summarised in
 * the log every {@code logInterval}.
 */
public final class SchedulerMetrics {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerMetrics.class);

  private final ReleaseLateness lateness;
  private final ReleaseListener listener;
  private final long logIntervalMs;
  private final AtomicLong read = new AtomicLong();
  private final AtomicLong invalid = new AtomicLong();
  private final AtomicLong aborted = new AtomicLong();
  private final AtomicLong committed = new AtomicLong();
  private final AtomicInteger mostHeld = new AtomicInteger();
  private long nextSummaryAt;

  SchedulerMetrics(ReleaseLateness lateness, Duration logInterval, ReleaseListener listener) {
    this.lateness = lateness;
    this.listener = listener;
    this.logIntervalMs = logInterval.toMillis();
  }

  void started(long now) {
    nextSummaryAt = now + logIntervalMs;
  }

  void read(int records) {
    read.addAndGet(records);
  }

  void heldByOnePartition(int records) {
    mostHeld.accumulateAndGet(records, Math::max);
  }

  void released(long dueAt, long releasedAt) {
    lateness.record(releasedAt - dueAt);
    listener.released(Math.max(0, releasedAt - dueAt));
  }

  void invalid() {
    invalid.incrementAndGet();
  }

  void aborted() {
    aborted.incrementAndGet();
  }

  void committed() {
    committed.incrementAndGet();
  }

  /** Logs the summary once {@code logInterval} has passed since the last one. */
  void logSummaryWhenDue(long now, PendingRetries<?, ?> pending) {
    if (now >= nextSummaryAt) {
      nextSummaryAt = now + logIntervalMs;
      OptionalLong next = pending.nextDueAt();
      LOG.info("Retry scheduler: {}; {} record(s) read and waiting in {} partition(s), next due in {}; invalid={} aborted={}",
          lateness.snapshot(), pending.size(), pending.partitions().size(),
          next.isPresent() ? Duration.ofMillis(Math.max(0, next.getAsLong() - now)) : "-",
          invalid.get(), aborted.get());
    }
  }

  public ReleaseLateness lateness() {
    return lateness;
  }

  /** Records read from the retry topics so far, counting every read (a record read again counts again). */
  public long recordsRead() {
    return read.get();
  }

  /** The most records one partition has held in memory at once, since start. */
  public int mostRecordsHeldByOnePartition() {
    return mostHeld.get();
  }

  /** Records sent to the invalid-records topic because they were not retry requests. */
  public long invalidRecords() {
    return invalid.get();
  }

  /** Transactions aborted on an abortable error and released again. */
  public long abortedTransactions() {
    return aborted.get();
  }

  /** Transactions committed: each released what came due in one turn of the loop. */
  public long committedTransactions() {
    return committed.get();
  }

  /** Records released so far (each once per commit that released it). */
  public long recordsReleased() {
    return lateness.count();
  }
}
