package io.hookline.dispatcher.application;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Where executions diverted from their lane go ({@link DeliveryLanes}): <em>parked</em>, that is
 * written as a retry request for the same attempt number to the parked topic, due one breaker open
 * duration later, their input record released as soon as that write is acknowledged; the retry
 * scheduler brings them back through the redeliveries topic, marked as parked. An execution that
 * may not be parked again for this attempt (it came back parked, or is a manual retry) is instead
 * tried without a call, as {@code CIRCUIT_OPEN}, by the {@code refuse} callback. So parking never
 * costs an attempt and every execution is tried. Parking writes no attempt record; a parked
 * execution keeps its place in neither the lane nor the order of the webhook's other executions
 * (like a retry).
 *
 * <p>A diversion with a due time of its own (a webhook whose receiver asked for a pause, see
 * {@link io.hookline.dispatcher.domain.Throttling}) is always parked, until that time: the pause is
 * the receiver's wish, not a guess about its health, so it is honoured however often the execution
 * was parked before.
 *
 * <p>Parking runs on the {@code diversions} executor, never on the threads that complete
 * deliveries: when a breaker opens its whole queue is parked at once, work healthy deliveries
 * should not wait behind ({@link #parkingThread()}). Diverted executions count as backlog until
 * they are parked.
 */
public final class ExecutionParking {

  private final Executor diversions;
  private final DeliveryLanes lanes;
  private final OutcomeLog log;
  private final IsolationLimits isolation;
  private final Clock clock;
  private final FatalFailure fatal;
  private final Consumer<DeliveryTask> refuse;
  private final DeliveryMetrics metrics;
  private final AtomicLong parked = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  ExecutionParking(Executor diversions, DeliveryLanes lanes, OutcomeLog log, IsolationLimits isolation, Clock clock,
      FatalFailure fatal, Consumer<DeliveryTask> refuse, DeliveryMetrics metrics) {
    this.diversions = diversions;
    this.lanes = lanes;
    this.log = log;
    this.isolation = isolation;
    this.clock = clock;
    this.fatal = fatal;
    this.refuse = refuse;
    this.metrics = metrics;
  }

  /**
   * One thread, started when there is something to park and gone after 5 s idle, so diversions
   * run in order and never on the threads that complete deliveries. Parking the queues of several
   * webhooks whose breakers open together takes long enough to hold healthy deliveries back if it
   * ran on those threads (p99 at 1,000 deliveries/s rose tenfold in {@code ./bench delivery}).
   */
  public static Executor parkingThread() {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "dispatcher-parking-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  long parked() {
    return parked.get();
  }

  long refused() {
    return refused.get();
  }

  /** Hands the diverted executions to the diversions executor; counted as backlog until parked. */
  void divertLater(List<Diversion> diverted) {
    if (diverted.isEmpty()) {
      return;
    }
    int count = diverted.size();
    lanes.divertingStarted(count);
    Runnable work = () -> {
      try {
        divertAll(diverted);
      } finally {
        lanes.divertingEnded(count);
      }
    };
    try {
      diversions.execute(work);
    } catch (RejectedExecutionException e) {
      work.run();
    }
  }

  /** Parks each diverted execution, or tries it without a call when it may not be parked again. */
  private void divertAll(List<Diversion> diverted) {
    for (Diversion d : diverted) {
      DeliveryTask task = d.task();
      if (task.record().abandoned()) {
        continue; // its partition went to another consumer, which processes the record again
      }
      try {
        if (task.parkable() || d.dueAt() != Diversion.AFTER_OPEN_DURATION) {
          parked.incrementAndGet();
          metrics.parked(d.reason());
          long now = clock.millis();
          long dueAt = d.dueAt() == Diversion.AFTER_OPEN_DURATION ? now + isolation.breakerOpenDuration().toMillis() : d.dueAt();
          task.record().decided(false);
          task.record().releaseWhenWritten(List.of(log.park(task.execution(), dueAt, now, d.reason())), fatal);
        } else {
          refused.incrementAndGet();
          refuse.accept(task);
        }
      } catch (RuntimeException ex) {
        fatal.report(ex);
      }
    }
  }
}
