package io.hookline.retryscheduler.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Remembers which held partitions may go again, and when. A partition whose head record is not yet
 * due is held until that record's due time; the scheduler asks {@link #releaseDue(long)} on every
 * turn of its loop and polls no longer than {@link #nextWakeUp()}, so it never sleeps and one
 * waiting partition never holds back another.
 *
 * <p>Each partition is held at most once: holding it again replaces its due time. Partitions that
 * leave (revoked, lost, rewound) are {@link #remove(Collection) removed}, so no timer outlives the
 * partition it was set for. Plain Java, no Kafka types; not thread-safe (one loop owns it).
 *
 * @param <P> how a partition is named (a Kafka {@code TopicPartition} in the scheduler)
 */
public final class DueTimeGate<P> {

  private record Entry<P>(long dueAt, long sequence, P partition) {}

  private final PriorityQueue<Entry<P>> byDueTime =
      new PriorityQueue<>(Comparator.<Entry<P>>comparingLong(Entry::dueAt).thenComparingLong(Entry::sequence));
  private final Map<P, Entry<P>> byPartition = new HashMap<>();
  private long sequence;

  /** Holds {@code partition} until {@code dueAt} (epoch ms), replacing any earlier hold. */
  public void hold(P partition, long dueAt) {
    Entry<P> previous = byPartition.remove(partition);
    if (previous != null) {
      byDueTime.remove(previous);
    }
    Entry<P> entry = new Entry<>(dueAt, sequence++, partition);
    byPartition.put(partition, entry);
    byDueTime.add(entry);
  }

  /**
   * The partitions due at {@code now} (due time {@code <= now}), earliest first; they are no longer
   * held afterwards.
   */
  public List<P> releaseDue(long now) {
    List<P> due = new ArrayList<>();
    while (!byDueTime.isEmpty() && byDueTime.peek().dueAt() <= now) {
      Entry<P> entry = byDueTime.poll();
      byPartition.remove(entry.partition());
      due.add(entry.partition());
    }
    return due;
  }

  /** The earliest due time of a held partition, or empty when nothing is held. */
  public OptionalLong nextWakeUp() {
    Entry<P> head = byDueTime.peek();
    return head == null ? OptionalLong.empty() : OptionalLong.of(head.dueAt());
  }

  /** Forgets these partitions (revoked, lost or rewound); unknown ones are ignored. */
  public void remove(Collection<P> partitions) {
    for (P partition : partitions) {
      Entry<P> entry = byPartition.remove(partition);
      if (entry != null) {
        byDueTime.remove(entry);
      }
    }
  }

  public boolean isHeld(P partition) {
    return byPartition.containsKey(partition);
  }

  /** The due time {@code partition} is held until, or empty when it is not held. */
  public OptionalLong dueAt(P partition) {
    Entry<P> entry = byPartition.get(partition);
    return entry == null ? OptionalLong.empty() : OptionalLong.of(entry.dueAt());
  }

  /** A copy of the held partitions. */
  public Set<P> held() {
    return Set.copyOf(byPartition.keySet());
  }

  public int size() {
    return byPartition.size();
  }
}
