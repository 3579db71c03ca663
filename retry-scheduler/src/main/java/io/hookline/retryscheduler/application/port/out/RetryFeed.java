package io.hookline.retryscheduler.application.port.out;

import io.hookline.retryscheduler.application.port.in.PartitionOwnership;
import io.hookline.retryscheduler.domain.PendingRetries;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;

/**
 * The retry partitions this instance reads. The scheduler decides when to read, and which
 * partitions to pause and resume, so the reader sits behind a port it drives. Every call but
 * {@link #wakeup()} comes from the scheduler's loop thread.
 *
 * @param <P> how a partition is named
 * @param <R> a record read from a partition
 */
public interface RetryFeed<P, R> {

  /** Joins the group reading every retry topic; ownership changes are told to {@code owner}. */
  void subscribe(PartitionOwnership<P> owner);

  /**
   * Reads for at most {@code timeout} and appends every record read to {@code pending}, in read
   * order per partition, with its due time. Ownership changes are told (to the owner given to
   * {@link #subscribe}) before anything read is appended.
   */
  Polled<P> pollInto(Duration timeout, PendingRetries<P, R> pending);

  /** The partitions this member owns now. */
  Set<P> assignment();

  void pause(Collection<P> partitions);

  void resume(Collection<P> partitions);

  /** Makes a poll in progress, or the next one, throw; the one call other threads may make. */
  void wakeup();

  void close();

  /** What one poll appended: the partitions it read and how many records. */
  record Polled<P>(Set<P> partitions, int count) {

    private static final Polled<?> NOTHING = new Polled<>(Set.of(), 0);

    @SuppressWarnings("unchecked")
    public static <P> Polled<P> nothing() {
      return (Polled<P>) NOTHING;
    }

    public boolean isEmpty() {
      return count == 0;
    }
  }
}
