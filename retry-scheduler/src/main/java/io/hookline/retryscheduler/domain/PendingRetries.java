package io.hookline.retryscheduler.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Retries already read from a partition but not yet released, kept in memory in the order they
 * were read, so that a record that is not due yet is released at its due time straight from memory
 * instead of being read again from Kafka.
 *
 * <p>Only the head of each partition is watched: a {@link DueTimeGate} holds every partition with
 * pending records until its head's due time. {@link #takeDue(long)} hands out, partition by
 * partition and in read order, every record from the head up to the first one not due yet; a record
 * that is due but sits behind one that is not waits for it (per-partition order wins over
 * punctuality, as on the topic). A record with no due time (one that cannot be scheduled) is due at
 * once when it reaches the head.
 *
 * <p>Memory stays bounded because the scheduler stops reading a partition that holds its
 * read-ahead limit ({@link #size(Object)}) and reads it again once it holds fewer: a partition
 * never holds more than that limit plus one poll's worth. Partitions that leave (revoked, lost, rewound) are {@link #drop(Collection) dropped},
 * records and timer, and read again from their committed offset by whoever owns them next.
 *
 * <p>Plain Java, no Kafka types; not thread-safe (one loop owns it).
 *
 * @param <P> how a partition is named
 * @param <R> a pending record
 */
public final class PendingRetries<P, R> {

  /** The due time of a record that has none (it cannot be scheduled): due as soon as it is the head. */
  public static final long DUE_AT_ONCE = Long.MIN_VALUE;

  private record Pending<R>(R record, long dueAt) {}

  private final Map<P, ArrayDeque<Pending<R>>> byPartition = new HashMap<>();
  private final DueTimeGate<P> heads = new DueTimeGate<>();
  private int size;

  /**
   * Appends {@code record}, read from {@code partition} after every record added before, due at
   * {@code dueAt} (epoch ms, or {@link #DUE_AT_ONCE}).
   */
  public void add(P partition, R record, long dueAt) {
    ArrayDeque<Pending<R>> queue = byPartition.computeIfAbsent(partition, p -> new ArrayDeque<>());
    if (queue.isEmpty()) {
      heads.hold(partition, dueAt);
    }
    queue.addLast(new Pending<>(record, dueAt));
    size++;
  }

  /**
   * Takes every record due at {@code now} off the front of its partition, in read order per
   * partition; partitions whose head came due first come first. The partitions left with records
   * are held until their new head is due.
   */
  public Map<P, List<R>> takeDue(long now) {
    List<P> due = heads.releaseDue(now);
    if (due.isEmpty()) {
      return Map.of();
    }
    Map<P, List<R>> taken = new LinkedHashMap<>();
    for (P partition : due) {
      ArrayDeque<Pending<R>> queue = byPartition.get(partition);
      List<R> records = new ArrayList<>();
      while (!queue.isEmpty() && queue.peekFirst().dueAt() <= now) {
        records.add(queue.pollFirst().record());
      }
      size -= records.size();
      if (queue.isEmpty()) {
        byPartition.remove(partition);
      } else {
        heads.hold(partition, queue.peekFirst().dueAt());
      }
      taken.put(partition, records);
    }
    return taken;
  }

  /** Forgets the pending records and the timer of these partitions; unknown ones are ignored. */
  public void drop(Collection<P> partitions) {
    heads.remove(partitions);
    for (P partition : partitions) {
      ArrayDeque<Pending<R>> queue = byPartition.remove(partition);
      if (queue != null) {
        size -= queue.size();
      }
    }
  }

  /** The earliest due time of a partition's head, or empty when nothing is pending. */
  public OptionalLong nextDueAt() {
    return heads.nextWakeUp();
  }

  public boolean isEmpty(P partition) {
    return !byPartition.containsKey(partition);
  }

  /** The records pending for {@code partition}. */
  public int size(P partition) {
    ArrayDeque<Pending<R>> queue = byPartition.get(partition);
    return queue == null ? 0 : queue.size();
  }

  /** The records pending over all partitions. */
  public int size() {
    return size;
  }

  /** A copy of the partitions with pending records. */
  public Set<P> partitions() {
    return Set.copyOf(byPartition.keySet());
  }
}
