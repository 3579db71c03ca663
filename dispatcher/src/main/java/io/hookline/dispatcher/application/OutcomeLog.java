package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.Execution;
import io.hookline.dispatcher.domain.FailureReason;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where the outcomes of executions are written durably. Each future completes when the record is
 * acknowledged by the log, and completes exceptionally if it cannot be written: the caller must
 * then not treat the input as done. All times are epoch ms.
 */
public interface OutcomeLog {

  /**
   * The attempt {@code execution} made to {@code url}: started at {@code createdAt}, ended at
   * {@code finishedAt} after {@code durationMs} on the wire (0 when the endpoint was not called),
   * with the signature headers of the request sent ({@code requestHeaders}; null when none was).
   */
  CompletableFuture<Void> attempt(Execution execution, String url, long createdAt, long finishedAt, long durationMs,
      DeliveryOutcome outcome, Map<String, String> requestHeaders);

  /**
   * Like {@link #attempt}, for an attempt whose receiver asked for a pause: the webhook sends
   * nothing until {@code throttledUntil} (epoch ms), and the execution tries the same attempt again
   * then. A log that cannot tell throttled attempts apart writes it as a plain attempt.
   */
  default CompletableFuture<Void> throttledAttempt(Execution execution, String url, long createdAt, long finishedAt,
      long durationMs, DeliveryOutcome outcome, Map<String, String> requestHeaders, long throttledUntil) {
    return attempt(execution, url, createdAt, finishedAt, durationMs, outcome, requestHeaders);
  }

  /**
   * The execution waits {@code delay} for attempt {@code nextAttempt}, due at {@code dueAt}, after
   * the attempt started at {@code attemptedAt} failed with {@code failure}.
   */
  CompletableFuture<Void> retry(
      Execution execution, int nextAttempt, Duration delay, long dueAt, long attemptedAt, DeliveryOutcome.Failed failure);

  /**
   * The execution ended failed after {@code retries} retries ({@code reason}, {@code message} and
   * {@code httpStatus} of the last attempt, made at {@code lastAt}).
   */
  CompletableFuture<Void> failed(Execution execution, String url, int retries, FailureReason reason, String message,
      Integer httpStatus, long lastAt);

  /** A manual retry of a failed execution got through at {@code lastAt}: it leaves the failed executions. */
  CompletableFuture<Void> resolved(Execution execution, String url, int retries, Integer httpStatus, long lastAt);

  /**
   * The execution is set aside without an attempt until {@code dueAt} ({@code reason}: why), after
   * which it comes back as a redelivery marked as parked; {@code now} stands in for the attempt
   * times of a first attempt, which has none yet.
   */
  CompletableFuture<Void> park(Execution execution, long dueAt, long now, String reason);

  /**
   * Appends the first attempt of {@code execution}, of a webhook with ordering, to its webhook's
   * ordered log under its ordering {@code key}, due at {@code now}; the instance that owns the
   * webhook delivers it from there ({@link OrderedDelivery}). A log without one fails the write.
   */
  default CompletableFuture<Void> ordered(Execution execution, String key, long now) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("this outcome log has no ordered log"));
  }

  /** An input record that could not be decoded, kept byte for byte with the reason. */
  CompletableFuture<Void> invalid(InvalidRecord record);

  /** Blocks until every record written so far is acknowledged or failed. */
  void flush();
}
