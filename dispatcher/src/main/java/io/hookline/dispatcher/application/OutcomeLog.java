package io.hookline.dispatcher.application;

import io.hookline.avro.Attempt;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.RetryRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Where the outcomes of executions are written durably. Each future completes when the record is
 * acknowledged by the log, and completes exceptionally if it cannot be written: the caller must
 * then not treat the input as done.
 */
public interface OutcomeLog {

  CompletableFuture<Void> attempt(Attempt attempt);

  /** An execution waiting {@code delay} for its next attempt. */
  CompletableFuture<Void> retry(Duration delay, RetryRequest request);

  CompletableFuture<Void> deadLetter(FailedExecution failed);

  /**
   * An execution set aside without an attempt until its {@code due_at} ({@code reason}: why), after
   * which it comes back as a redelivery marked as parked.
   */
  CompletableFuture<Void> park(RetryRequest request, String reason);

  /** An input record that could not be decoded, kept byte for byte with the reason. */
  CompletableFuture<Void> invalid(InvalidRecord record);

  /** Blocks until every record written so far is acknowledged or failed. */
  void flush();
}
