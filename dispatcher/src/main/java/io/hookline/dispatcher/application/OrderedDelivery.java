package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.Execution;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the executions of webhooks with ordering {@code "key"} one at a time per ordering key,
 * in the order of the ordered log ({@link OrderedLanes}), through their webhook's normal lane (so
 * its breaker, throttling, rate limit, signing and outcome records apply).
 *
 * <p><b>One instance per webhook.</b> The instance that owns a webhook's partition of the
 * redeliveries topic reads the same partition number of the ordered log, where the fan-out
 * appended the webhook's executions; every retry and parked record of them carries its position
 * in the log ({@link Execution#orderedOffset()}) and comes back to the same instance.
 *
 * <p><b>At-least-once, in order.</b> A position of the log is done, and may be committed, only once
 * its execution ended for good and that outcome is written; so the commit point never passes an
 * execution that still waits for a retry. After a crash or a move the partition's next owner reads
 * from there and attempts the unfinished heads again: a re-send with the same execution id, its
 * attempt count starting over. The next execution of a key starts only once the final outcome of
 * the one before is written, so a later event is never delivered before an earlier one was
 * delivered or dead-lettered, whatever crashes.
 *
 * <p><b>Bounded.</b> The executions held in lanes count against {@code maxHeld}; above it the caller
 * stops reading the log ({@link #overBound()}) until they drop below half. Retries never wait for it:
 * they come back on the redeliveries topic.
 */
public final class OrderedDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(OrderedDelivery.class);

  /** Starts an attempt of {@code execution} holding {@code record} ({@code parkable}: it may be parked). */
  interface Attempts {
    void attempt(Execution execution, PendingRecord record, boolean parkable);
  }

  private final OrderedLanes lanes = new OrderedLanes();
  private final Map<Integer, OffsetTracker> trackers = new ConcurrentHashMap<>();
  private final Attempts attempts;
  private final FatalFailure fatal;
  private final int maxHeld;
  private final AtomicLong stale = new AtomicLong();
  /** Starts the next head of a lane off the producer's thread that acknowledged the previous one's outcome. */
  private final Executor next = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
    Thread t = new Thread(r, "dispatcher-ordered");
    t.setDaemon(true);
    return t;
  });

  OrderedDelivery(Attempts attempts, FatalFailure fatal, int maxHeld) {
    this.attempts = attempts;
    this.fatal = fatal;
    this.maxHeld = maxHeld;
  }

  /** This instance reads {@code partition} of the ordered log from now on. */
  public void assigned(int partition) {
    trackers.put(partition, new OffsetTracker());
  }

  /** This instance no longer reads {@code partition}: its lanes are forgotten, unfinished attempts dropped. */
  public void revoked(int partition) {
    OffsetTracker t = trackers.remove(partition);
    if (t != null) {
      t.revoke();
    }
    lanes.revoked(partition);
  }

  /** The position of {@code partition} everything before which is done; empty when nothing was read. */
  public OptionalLong donePosition(int partition) {
    OffsetTracker t = trackers.get(partition);
    long position = t == null ? -1 : t.safePosition();
    return position < 0 ? OptionalLong.empty() : OptionalLong.of(position);
  }

  /**
   * The execution read at {@code offset} of {@code partition} under ordering {@code key}: attempted
   * at once if its key has no execution before it, else it waits for them.
   */
  public void read(int partition, long offset, String key, Execution execution) {
    OffsetTracker t = trackers.get(partition);
    if (t == null) {
      return;
    }
    t.track(offset);
    Execution e = execution.ordered(offset);
    switch (lanes.read(partition, key, e)) {
      case ATTEMPT -> attempt(e, null, true, t);
      case DUPLICATE -> t.complete(offset);
      case WAIT -> { }
    }
  }

  /** A record of {@code partition} that is no execution (refused as undecodable): done once {@code record} completes. */
  public PendingRecord unusable(int partition, long offset) {
    OffsetTracker t = trackers.get(partition);
    if (t == null) {
      return new PendingRecord(() -> { }, () -> true);
    }
    t.track(offset);
    return new PendingRecord(() -> t.complete(offset), t::revoked);
  }

  /** True when more executions are held than the bound: stop reading the log. */
  public boolean overBound() {
    return lanes.held() > maxHeld;
  }

  /** True once the executions held dropped below half the bound: read the log again. */
  public boolean underHalfBound() {
    return lanes.held() < maxHeld / 2;
  }

  /** Executions held in lanes (waiting, or the head of their key). */
  public int held() {
    return lanes.held();
  }

  /** Redeliveries dropped because they were not the waiting head of their key. */
  public long staleRedeliveries() {
    return stale.get();
  }

  /**
   * A redelivery ({@code source}) of an ordered execution came: the attempt to start (holding {@code
   * source} until its outcome is written), or null when it is stale and is dropped.
   */
  PendingRecord redelivered(Execution e, PendingRecord source) {
    int partition = lanes.redelivered(e);
    OffsetTracker t = partition < 0 ? null : trackers.get(partition);
    if (t == null) {
      long n = stale.incrementAndGet();
      if (n == 1 || n % 100 == 0) {
        // Expected after a crash or a move (the retry chains of before); many more would mean a bug.
        LOG.info("Stale redelivery of ordered execution {} at {} dropped ({} so far)", e.id(), e.orderedOffset(), n);
      }
      return null;
    }
    source.retain();
    return attemptRecord(e, source, t);
  }

  private void attempt(Execution e, PendingRecord source, boolean parkable, OffsetTracker t) {
    PendingRecord record = attemptRecord(e, source, t);
    try {
      attempts.attempt(e, record, parkable);
    } catch (RuntimeException ex) {
      fatal.report(ex);
    } finally {
      record.release();
    }
  }

  /**
   * The record one attempt of head {@code e} holds: told its fate by the outcome writer, complete
   * once its outcome is written; then, if it ended, its position is done and the next head starts.
   */
  private PendingRecord attemptRecord(Execution e, PendingRecord source, OffsetTracker t) {
    AtomicBoolean ended = new AtomicBoolean();
    return new PendingRecord(() -> {
      if (ended.get()) {
        t.complete(e.orderedOffset());
        Execution following = lanes.ended(e);
        if (following != null) {
          startLater(following, t);
        }
      }
      if (source != null) {
        source.release();
      }
    }, t::revoked, fate -> {
      ended.set(fate);
      lanes.decided(e, fate);
    });
  }

  private void startLater(Execution e, OffsetTracker t) {
    try {
      next.execute(() -> attempt(e, null, true, t));
    } catch (RejectedExecutionException ex) {
      fatal.report(ex);
    }
  }
}
