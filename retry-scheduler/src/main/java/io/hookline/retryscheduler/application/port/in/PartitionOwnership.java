package io.hookline.retryscheduler.application.port.in;

import java.util.Collection;

/**
 * Told when this member gains or loses retry partitions (during a poll, so nothing is in flight:
 * every transaction ends before the next poll).
 *
 * @param <P> how a partition is named
 */
public interface PartitionOwnership<P> {

  void assigned(Collection<P> partitions);

  /** Given up in a rebalance; {@code lost} when taken away without a chance to hand over. */
  void revoked(Collection<P> partitions, boolean lost);
}
