package io.hookline.retryscheduler.application.port.out;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves due records to their output topic in transactions that also commit the consumer offsets
 * following them, so that each record is released exactly once. Transactions are not pipelined:
 * each one ends (committed or aborted) before the next begins, since a second one open while the
 * first commits could commit offsets past records whose transaction then aborts. Called from the
 * scheduler's loop thread only.
 *
 * @param <P> how a partition is named
 * @param <R> a record read from a partition
 */
public interface ReleaseTransactions<P, R> {

  /**
   * Registers the transactional id (fencing any older instance that used it and aborting its open
   * transaction) and learns where the output partitions live.
   */
  void start();

  /**
   * Sends every record of {@code due}, in order per partition, and the offsets that follow them in
   * one transaction, and commits it.
   *
   * @throws AbortableReleaseException when the transaction cannot commit but the producer can go
   *     on: {@link #abortAndRewind} it
   * @throws RuntimeException any other error is fatal: this instance can release nothing more
   */
  void commit(Map<P, List<R>> due);

  /**
   * Aborts the open transaction and sets the partitions of {@code due} that this member still owns
   * back to their last committed offsets.
   *
   * @return the partitions set back; what they hold in memory is to be read again
   */
  Set<P> abortAndRewind(Map<P, List<R>> due, AbortableReleaseException cause);

  /**
   * Aborts a transaction left open and closes the producer: at once after a fatal error, otherwise
   * after what it has in hand is sent.
   */
  void close(boolean failed);
}
