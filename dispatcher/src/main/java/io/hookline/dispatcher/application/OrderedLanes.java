package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.Execution;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The executions of webhooks with ordering, one first-in first-out lane per webhook and ordering
 * key, in the order they were read from their partition of the ordered log. Only the head of a
 * lane is ever attempted: it is in flight, waiting for its redelivery (a retry or a parked record
 * brings it back), or ending (its final outcome is being written); the executions behind it wait.
 * When the head has ended for good (delivered, dead-lettered, its webhook gone) the next one
 * becomes the head. Lanes of other keys are independent.
 *
 * <p>A redelivery is the head's only if the head is waiting and the redelivery names the head's
 * execution and position in the log; any other is a stale one (a chain of retries from before a
 * crash or a move, or one that lost the race to an attempt already under way) and is dropped: the
 * head gets its own redelivery, or is read and attempted again from the log after a restart.
 *
 * <p>Thread-safe: executions are read on the poll thread, outcomes are decided on HTTP threads.
 */
final class OrderedLanes {

  /** What to do with an execution just read. */
  enum Read {
    /** Its lane was empty: it is the head and in flight now; attempt it. */
    ATTEMPT,
    /** It waits behind the head of its lane. */
    WAIT,
    /** Its lane already holds the same execution (appended twice): nothing to do, it counts as done. */
    DUPLICATE
  }

  private enum Head {
    IN_FLIGHT, WAITING, ENDING
  }

  private record LaneKey(int partition, String webhookId, String key) {}

  private static final class Lane {
    final LaneKey key;
    final ArrayDeque<Execution> queue = new ArrayDeque<>();
    final Set<String> ids = new HashSet<>();
    Head head = Head.IN_FLIGHT;

    Lane(LaneKey key) {
      this.key = key;
    }
  }

  private final Map<LaneKey, Lane> lanes = new HashMap<>();
  /** The lanes by the execution id of their head. */
  private final Map<String, Lane> byHead = new HashMap<>();
  private int held;

  /**
   * {@code e} (its {@link Execution#orderedOffset()} set) was read from {@code partition} of the
   * ordered log, under ordering {@code key}.
   */
  synchronized Read read(int partition, String key, Execution e) {
    Lane lane = lanes.computeIfAbsent(new LaneKey(partition, e.webhookId(), key), Lane::new);
    if (!lane.ids.add(e.id())) {
      return Read.DUPLICATE;
    }
    lane.queue.addLast(e);
    held++;
    if (lane.queue.size() > 1) {
      return Read.WAIT;
    }
    lane.head = Head.IN_FLIGHT;
    byHead.put(e.id(), lane);
    return Read.ATTEMPT;
  }

  /**
   * The attempt of head {@code e} came to an outcome: {@code ended} for good (its lane stays
   * blocked until {@link #ended}), else it waits for its redelivery. Ignored when {@code e} is not
   * the head (its partition was revoked meanwhile).
   */
  synchronized void decided(Execution e, boolean ended) {
    Lane lane = laneOfHead(e);
    if (lane != null && lane.head == Head.IN_FLIGHT) {
      lane.head = ended ? Head.ENDING : Head.WAITING;
    }
  }

  /**
   * The final outcome of head {@code e} is written: the next execution of its lane becomes the head,
   * in flight, and is returned to be attempted; null when the lane is empty now or {@code e} was not
   * the head.
   */
  synchronized Execution ended(Execution e) {
    Lane lane = laneOfHead(e);
    if (lane == null || lane.head != Head.ENDING) {
      return null;
    }
    lane.queue.pollFirst();
    lane.ids.remove(e.id());
    byHead.remove(e.id());
    held--;
    Execution next = lane.queue.peekFirst();
    if (next == null) {
      lanes.remove(lane.key);
      return null;
    }
    lane.head = Head.IN_FLIGHT;
    byHead.put(next.id(), lane);
    return next;
  }

  /**
   * A redelivery of {@code e} came: when {@code e} is the waiting head of its lane, the head is in
   * flight again and the lane's partition is returned; else -1, a stale redelivery, to be dropped.
   */
  synchronized int redelivered(Execution e) {
    Lane lane = laneOfHead(e);
    if (lane == null || lane.head != Head.WAITING) {
      return -1;
    }
    lane.head = Head.IN_FLIGHT;
    return lane.key.partition();
  }

  /** Forgets every lane of {@code partition} (revoked): what it held is read again by the partition's next owner. */
  synchronized void revoked(int partition) {
    for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext(); ) {
      Lane lane = it.next();
      if (lane.key.partition() == partition) {
        Execution head = lane.queue.peekFirst();
        if (head != null) {
          byHead.remove(head.id());
        }
        held -= lane.queue.size();
        it.remove();
      }
    }
  }

  /** Executions held in lanes, heads included. */
  synchronized int held() {
    return held;
  }

  /** The lane whose head is {@code e}, the same execution read at the same position; else null. */
  private Lane laneOfHead(Execution e) {
    Lane lane = byHead.get(e.id());
    if (lane == null) {
      return null;
    }
    Execution head = lane.queue.peekFirst();
    return head != null && head.orderedOffset().equals(e.orderedOffset()) ? lane : null;
  }
}
