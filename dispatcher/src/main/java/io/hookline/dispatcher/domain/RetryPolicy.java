package io.hookline.dispatcher.domain;

import io.hookline.schemas.RetrySchedule;
import java.time.Duration;
import java.util.Objects;

/**
 * Decides what follows a failed attempt: another attempt after the schedule's delay, or the end of
 * the execution as a failed execution. A 410 Gone, or a reason that is not retryable (a refused
 * target), ends the execution at once.
 *
 * <p>A manual re-send (trigger {@code MANUAL}, "retry now") is one attempt, not a new chain: when it
 * fails, the execution goes straight back to the failed executions, one retry more than before, even
 * if the schedule would still have delays left for that attempt number.
 */
public final class RetryPolicy {

  /** What follows a failed attempt. */
  public sealed interface Decision {}

  /** Attempt {@code nextAttempt} is due {@code delay} after the failed one. */
  public record RetryLater(int nextAttempt, Duration delay) implements Decision {}

  /** No more attempts; the execution is a failed execution after {@code retries} retries. */
  public record GiveUp(int retries) implements Decision {}

  private final RetrySchedule schedule;

  public RetryPolicy(RetrySchedule schedule) {
    this.schedule = Objects.requireNonNull(schedule, "schedule");
  }

  /** What follows a failed attempt of the scheduled chain (first attempt or scheduled retry). */
  public Decision afterFailure(int attempt, DeliveryOutcome.Failed failure) {
    return afterFailure(attempt, Trigger.SCHEDULED, failure);
  }

  /**
   * @param attempt the number of the attempt that failed (1 for the first)
   * @param trigger what started the attempt; a failed {@code MANUAL} attempt is never retried
   */
  public Decision afterFailure(int attempt, Trigger trigger, DeliveryOutcome.Failed failure) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt numbers start at 1, was " + attempt);
    }
    if (trigger == Trigger.MANUAL || failure.gone() || !failure.reason().retryable()) {
      return new GiveUp(attempt - 1);
    }
    return schedule.delayBefore(attempt + 1)
        .<Decision>map(delay -> new RetryLater(attempt + 1, delay))
        .orElseGet(() -> new GiveUp(attempt - 1));
  }

  public RetrySchedule schedule() {
    return schedule;
  }
}
