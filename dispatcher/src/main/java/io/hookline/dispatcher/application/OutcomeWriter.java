package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.Execution;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.RetryPolicy;
import io.hookline.dispatcher.domain.Trigger;
import io.hookline.dispatcher.domain.Webhook;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what an attempt came to and what follows from it, as the {@link RetryPolicy} decides: the
 * attempt, then a retry request, a failed execution, or (a manual retry that got through) the
 * failed execution resolved; then what the {@link EndpointMonitor} makes of it. The execution's input record is released once every one of these
 * records is acknowledged; if one cannot be written, it never is and the failure is fatal.
 */
final class OutcomeWriter {

  private static final Logger LOG = LoggerFactory.getLogger(OutcomeWriter.class);
  static final Duration INVALID_LOG_INTERVAL = Duration.ofSeconds(1);

  private final OutcomeLog log;
  private final RetryPolicy policy;
  private final Clock clock;
  private final FatalFailure fatal;
  private final EndpointMonitor monitor;
  private final DeliveryMetrics metrics;
  private final AtomicLong lastInvalidLogged = new AtomicLong(System.nanoTime() - INVALID_LOG_INTERVAL.toNanos());
  private final AtomicLong invalidNotLogged = new AtomicLong();

  OutcomeWriter(OutcomeLog log, RetryPolicy policy, Clock clock, FatalFailure fatal, EndpointMonitor monitor,
      DeliveryMetrics metrics) {
    this.log = log;
    this.policy = policy;
    this.clock = clock;
    this.fatal = fatal;
    this.monitor = monitor;
    this.metrics = metrics;
  }

  /**
   * The attempt started at {@code createdAt}, {@code callNanos} on the wire (negative: the endpoint
   * was not called), with the signature headers of the request sent ({@code requestHeaders}, null
   * when none was), and what follows from it.
   */
  void attempted(DeliveryTask task, Webhook webhook, long createdAt, long callNanos, DeliveryOutcome outcome,
      Map<String, String> requestHeaders) {
    attempted(task, webhook, createdAt, callNanos, outcome, requestHeaders, OptionalLong.empty());
  }

  /**
   * Like {@link #attempted(DeliveryTask, Webhook, long, long, DeliveryOutcome, Map)}; when the
   * receiver asked for a pause ({@code pausedUntil}, epoch ms), the attempt is recorded as throttled
   * until then and the execution is parked for the same attempt, due then: no retry is used up.
   */
  void attempted(DeliveryTask task, Webhook webhook, long createdAt, long callNanos, DeliveryOutcome outcome,
      Map<String, String> requestHeaders, OptionalLong pausedUntil) {
    Execution e = task.execution();
    long finishedAt = clock.millis();
    long durationMs = Math.max(0, callNanos / 1_000_000);
    metrics.attempted(webhook.id(), e.trigger(), outcome, callNanos);
    List<CompletableFuture<Void>> writes = new ArrayList<>(2);
    RetryPolicy.Decision decision = null;
    if (pausedUntil.isPresent()) {
      // Not a failure of the execution: it waits out the pause and tries the same attempt again.
      long until = pausedUntil.getAsLong();
      task.record().decided(false);
      metrics.parked(DeliveryLanes.THROTTLED);
      writes.add(log.throttledAttempt(e, webhook.url(), createdAt, finishedAt, durationMs, outcome, requestHeaders, until));
      writes.add(log.park(e, until, createdAt, DeliveryLanes.THROTTLED));
    } else {
      decision = outcome instanceof DeliveryOutcome.Failed failed ? policy.afterFailure(e.attempt(), e.trigger(), failed) : null;
      task.record().decided(!(decision instanceof RetryPolicy.RetryLater));
      writes.add(log.attempt(e, webhook.url(), createdAt, finishedAt, durationMs, outcome, requestHeaders));
      afterAttempt(e, webhook, createdAt, finishedAt, outcome, decision, writes);
    }
    writes.addAll(monitor.attempted(e, webhook, outcome, decision, finishedAt));
    task.record().releaseWhenWritten(writes, fatal);
  }

  /** Writes what the retry policy's {@code decision} (null after a delivery) makes of an attempt that was not throttled. */
  private void afterAttempt(Execution e, Webhook webhook, long createdAt, long finishedAt, DeliveryOutcome outcome,
      RetryPolicy.Decision decision, List<CompletableFuture<Void>> writes) {
    if (outcome instanceof DeliveryOutcome.Failed failed) {
      if (decision instanceof RetryPolicy.RetryLater later) {
        writes.add(log.retry(e, later.nextAttempt(), later.delay(), finishedAt + later.delay().toMillis(), createdAt,
            failed));
      } else if (decision instanceof RetryPolicy.GiveUp giveUp) {
        metrics.deadLettered(failed.reason());
        writes.add(log.failed(e, webhook.url(), giveUp.retries(), failed.reason(), failed.message(), failed.httpStatus(),
            createdAt));
      }
    } else if (e.trigger() == Trigger.MANUAL) {
      // A person retried a failed execution and it got through: it leaves the failed view.
      writes.add(log.resolved(e, webhook.url(), e.attempt() - 1, outcome.httpStatus(), createdAt));
    }
  }

  /**
   * The execution's webhook was deleted ({@code found} empty) or disabled: the execution ends here,
   * visibly, as a failed execution, without a call.
   */
  void webhookGone(DeliveryTask task, Optional<Webhook> found, long now) {
    Execution e = task.execution();
    FailureReason reason = found.isEmpty() ? FailureReason.WEBHOOK_DELETED : FailureReason.WEBHOOK_DISABLED;
    String url = found.map(Webhook::url).orElse("");
    String message = "webhook " + e.webhookId() + (found.isEmpty() ? " was deleted" : " is disabled") + "; not called";
    Integer lastHttpStatus = e.previous() == null ? null : e.previous().lastHttpStatus();
    metrics.deadLettered(reason);
    task.record().decided(true);
    task.record().releaseWhenWritten(
        List.of(log.failed(e, url, Math.max(0, e.attempt() - 2), reason, message, lastHttpStatus, now)), fatal);
  }

  /**
   * Keeps an undecodable input record, byte for byte, with the reason. At most one is logged per
   * {@link #INVALID_LOG_INTERVAL}, with how many were not: a flood of bad input must not flood the
   * log too (and slow the input thread down with it); the metric and the invalid topic have them all.
   */
  void invalid(InvalidRecord invalid, PendingRecord record) {
    long now = System.nanoTime();
    long last = lastInvalidLogged.get();
    if (now - last >= INVALID_LOG_INTERVAL.toNanos() && lastInvalidLogged.compareAndSet(last, now)) {
      LOG.warn("Invalid record {}-{}@{}: {} {} ({} more since the last one logged)", invalid.sourceTopic(),
          invalid.sourcePartition(), invalid.sourceOffset(), invalid.reason(), invalid.message(),
          invalidNotLogged.getAndSet(0));
    } else {
      invalidNotLogged.incrementAndGet();
    }
    metrics.invalidRecord(invalid.reason());
    record.retain();
    record.releaseWhenWritten(List.of(log.invalid(invalid)), fatal);
  }
}
