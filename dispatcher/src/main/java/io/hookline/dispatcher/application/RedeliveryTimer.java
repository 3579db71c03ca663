package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.EarlyRedelivery;
import java.time.Clock;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds redeliveries that arrived before their due time ({@link EarlyRedelivery}) and starts each
 * at that time, on a timer thread of its own; the poll thread never waits. A held redelivery keeps
 * a hold on its input record, so its offset is not committed before its attempt is written: after a
 * crash or a stop it is read again, and attempted at once if it is due by then. One whose partition
 * was revoked meanwhile is dropped (its new owner reads it again).
 *
 * <p>Redeliveries start in the order of their start time, and those with the same start time in
 * the order they arrived, whatever the timer's rounding: executions parked for one pause all come
 * back due when it ends, and must reach their webhook's lane in the order they were parked. A
 * redelivery that is due when it arrives goes behind the held ones that are due too.
 */
final class RedeliveryTimer {

  /** A held redelivery: starts at {@code startAt} (epoch ms), after the held ones with an earlier {@code startAt} or {@code seq}. */
  private record Held(long startAt, long seq, PendingRecord record, Runnable start) {}

  private static final Comparator<Held> ORDER = Comparator.comparingLong(Held::startAt).thenComparingLong(Held::seq);

  private final Clock clock;
  private final FatalFailure fatal;
  private final AtomicInteger held = new AtomicInteger();
  /** Guarded by itself; starts run under its lock, so they run one at a time and in order. */
  private final PriorityQueue<Held> waiting = new PriorityQueue<>(ORDER);
  private long arrived;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dispatcher-redelivery-timer");
    t.setDaemon(true);
    return t;
  });

  RedeliveryTimer(Clock clock, FatalFailure fatal) {
    this.clock = clock;
    this.fatal = fatal;
  }

  /** Runs {@code start} now if due at {@code dueAt} (epoch ms), else at that time. */
  void startWhenDue(long dueAt, PendingRecord record, Runnable start) {
    long now = clock.millis();
    long hold = EarlyRedelivery.holdMillis(dueAt, now);
    synchronized (waiting) {
      if (hold == 0 && waiting.isEmpty()) {
        start.run();
        return;
      }
      record.retain();
      held.incrementAndGet();
      Held h = new Held(now + hold, arrived++, record, start);
      waiting.add(h);
      if (hold == 0) {
        startUpTo(h, now);
        return;
      }
      try {
        timer.schedule(() -> fire(h), hold, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // Stopping: the hold is kept, so the record is not committed and is read again after a restart.
        waiting.remove(h);
        held.decrementAndGet();
      }
    }
  }

  private void fire(Held h) {
    synchronized (waiting) {
      startUpTo(h, clock.millis());
    }
  }

  /** Under the lock: starts, in order, every held redelivery up to {@code last} and every other one due at {@code now}. */
  private void startUpTo(Held last, long now) {
    Held next;
    while ((next = waiting.peek()) != null && (ORDER.compare(next, last) <= 0 || next.startAt() <= now)) {
      waiting.poll();
      held.decrementAndGet();
      try {
        if (!next.record().abandoned()) {
          next.start().run();
        }
        next.record().release();
      } catch (RuntimeException e) {
        fatal.report(e); // the hold stays: the record is not committed
      }
    }
  }

  /** Redeliveries waiting for their due time. */
  int held() {
    return held.get();
  }

  /** Starts nothing more; what is held stays uncommitted and is read again after a restart. */
  void stop() {
    timer.shutdownNow();
  }
}
