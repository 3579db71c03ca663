package io.hookline.retryscheduler.application;

import io.hookline.retryscheduler.application.port.out.RetryFeed;
import io.hookline.retryscheduler.domain.DueTimeGate;
import io.hookline.retryscheduler.domain.PendingRetries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Pauses and resumes the retry partitions so that the loop never waits on one: a partition holding
 * {@code readAhead} records is paused, so nothing more is read of it until some are released, and
 * resumed once it holds fewer; a partition whose transaction was aborted is paused for the abort
 * back-off ({@link DueTimeGate}) and resumed when that has passed. Memory is therefore bounded:
 * fewer than {@code readAhead} plus one poll's records per partition (with {@code readAhead = 1}, a
 * partition holding a record not due yet is not read further). Partitions that leave or
 * arrive are forgotten, so a partition paused here, revoked and assigned back is never left paused
 * without a timer. Not thread-safe (the loop owns it).
 *
 * @param <P> how a partition is named
 */
public final class PartitionFlowControl<P> {

  private final RetryFeed<P, ?> feed;
  private final PendingRetries<P, ?> pending;
  private final int readAhead;
  private final long abortBackoffMs;
  private final DueTimeGate<P> backoff = new DueTimeGate<>();
  private final Set<P> paused = new HashSet<>();

  PartitionFlowControl(RetryFeed<P, ?> feed, PendingRetries<P, ?> pending, int readAhead, Duration abortBackoff) {
    if (readAhead < 1) {
      throw new IllegalArgumentException("readAhead must be at least 1, was " + readAhead);
    }
    this.feed = feed;
    this.pending = pending;
    this.readAhead = readAhead;
    this.abortBackoffMs = abortBackoff.toMillis();
  }

  /** Resumes the partitions whose abort back-off has passed. */
  void resumeAfterBackoff(long now) {
    List<P> due = backoff.releaseDue(now);
    if (!due.isEmpty()) {
      due.retainAll(feed.assignment());
      paused.removeAll(due);
      feed.resume(due);
    }
  }

  /** When the next back-off ends, or empty when none is running. */
  OptionalLong nextWakeUp() {
    return backoff.nextWakeUp();
  }

  /**
   * Pauses the partitions just read or released that hold {@code readAhead} records or more, and
   * resumes those that hold fewer (unless in back-off).
   */
  void pauseOrResume(Set<P> polled, Set<P> released) {
    List<P> toPause = new ArrayList<>();
    List<P> toResume = new ArrayList<>();
    for (Set<P> touched : List.of(polled, released)) {
      for (P partition : touched) {
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
      feed.pause(toPause);
    }
    if (!toResume.isEmpty()) {
      toResume.retainAll(feed.assignment());
      feed.resume(toResume);
    }
  }

  /** Holds partitions set back after an aborted transaction for the back-off, so a persistent failure does not spin. */
  void holdAfterAbort(Set<P> rewound, long now) {
    if (abortBackoffMs > 0) {
      feed.pause(rewound);
      paused.addAll(rewound);
      long until = now + abortBackoffMs;
      rewound.forEach(partition -> backoff.hold(partition, until));
    } else {
      feed.resume(rewound);
      paused.removeAll(rewound);
    }
  }

  /** Forgets the timers and pause state of partitions that left. */
  void forget(Collection<P> partitions) {
    backoff.remove(partitions);
    paused.removeAll(partitions);
  }

  /** Newly assigned partitions start resumed, with no timer. */
  void assigned(Collection<P> partitions) {
    forget(partitions);
    feed.resume(partitions);
  }

  /** How many partitions this paused and has not resumed. */
  int pausedCount() {
    return paused.size();
  }

  /** The partitions held in memory or in back-off. */
  Set<P> held() {
    if (backoff.size() == 0) {
      return pending.partitions();
    }
    Set<P> held = new HashSet<>(pending.partitions());
    held.addAll(backoff.held());
    return Set.copyOf(held);
  }
}
