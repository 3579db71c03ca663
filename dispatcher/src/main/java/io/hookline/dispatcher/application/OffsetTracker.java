package io.hookline.dispatcher.application;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The commit point of one partition. Records are tracked in the order they are polled and complete
 * in any order; the partition may be committed up to (not including) the lowest record still in
 * progress, or past the last tracked record when none is. So a committed offset never passes a
 * record whose outcome is not yet durable, whatever order deliveries finish in.
 *
 * <p>Thread-safe: records complete on HTTP and producer threads, the poll thread commits.
 */
public final class OffsetTracker {

  private final TreeSet<Long> inProgress = new TreeSet<>();
  private long lastTracked = -1;
  private long committed = -1;
  private volatile boolean revoked;

  public synchronized void track(long offset) {
    if (offset <= lastTracked) {
      throw new IllegalArgumentException("offset " + offset + " tracked after " + lastTracked);
    }
    lastTracked = offset;
    inProgress.add(offset);
  }

  public synchronized void complete(long offset) {
    inProgress.remove(offset);
  }

  /** The position everything before which is complete, or -1 before anything was tracked. */
  public synchronized long safePosition() {
    if (lastTracked < 0) {
      return -1;
    }
    return inProgress.isEmpty() ? lastTracked + 1 : inProgress.first();
  }

  /** The position to commit if it moved since the last call that returned one. */
  public synchronized OptionalLong advance() {
    long position = safePosition();
    if (position > committed) {
      committed = position;
      return OptionalLong.of(position);
    }
    return OptionalLong.empty();
  }

  /** Puts back a position returned by {@link #advance} whose commit failed, so it is retried. */
  public synchronized void commitFailed(long position) {
    if (committed == position) {
      committed = -1;
    }
  }

  public synchronized int inProgress() {
    return inProgress.size();
  }

  public void revoke() {
    revoked = true;
  }

  public boolean revoked() {
    return revoked;
  }
}
