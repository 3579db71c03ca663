package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.EarlyRedelivery;
import java.time.Clock;
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
 */
final class RedeliveryTimer {

  private final Clock clock;
  private final FatalFailure fatal;
  private final AtomicInteger held = new AtomicInteger();
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
    long hold = EarlyRedelivery.holdMillis(dueAt, clock.millis());
    if (hold == 0) {
      start.run();
      return;
    }
    record.retain();
    held.incrementAndGet();
    try {
      timer.schedule(() -> fire(record, start), hold, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Stopping: the hold is kept, so the record is not committed and is read again after a restart.
      held.decrementAndGet();
    }
  }

  private void fire(PendingRecord record, Runnable start) {
    held.decrementAndGet();
    try {
      if (!record.abandoned()) {
        start.run();
      }
      record.release();
    } catch (RuntimeException e) {
      fatal.report(e); // the hold stays: the record is not committed
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
