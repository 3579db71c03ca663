package io.hookline.dispatcher.adapter.out.kafka;

import io.hookline.avro.Attempt;
import io.hookline.avro.FailedExecution;
import io.hookline.avro.FailedExecutionState;
import io.hookline.avro.RetryRequest;
import io.hookline.dispatcher.domain.AttemptStatus;
import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.Event;
import io.hookline.dispatcher.domain.Execution;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.Trigger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dispatcher's outcomes as the contract's Avro records: attempts, retry requests (scheduled or
 * parked) and failed executions, each carrying the execution's event. All times are epoch ms.
 */
public final class OutcomeRecords {

  private OutcomeRecords() {}

  /**
   * The attempt started at {@code createdAt}; a delivered one was delivered at {@code finishedAt}.
   * {@code requestHeaders}: the signature headers of the request sent; null when no request was
   * made.
   */
  public static Attempt attempt(Execution e, String url, long createdAt, long finishedAt, long durationMs,
      DeliveryOutcome o, Map<String, String> requestHeaders) {
    Attempt.Builder a = Attempt.newBuilder()
        .setExecutionId(e.id())
        .setWebhookId(e.webhookId())
        .setPortal(e.event().portal())
        .setEventId(e.event().id())
        .setEvent(e.event().name())
        .setUrl(url)
        .setAttempt(e.attempt())
        .setTrigger(trigger(e.trigger()))
        .setStatus(status(o.attemptStatus()))
        .setHttpStatus(o.httpStatus())
        .setDurationMs(durationMs)
        .setCreatedAt(createdAt)
        .setResponseExcerpt(o.responseExcerpt())
        .setRequestHeaders(requestHeaders == null ? null : new LinkedHashMap<>(requestHeaders));
    if (o instanceof DeliveryOutcome.Failed f) {
      a.setErrorCode(f.reason().name()).setErrorMessage(f.message());
    } else {
      a.setDeliveredAt(finishedAt);
    }
    return a.build();
  }

  /**
   * {@code attempt} as a throttled one: its webhook sends nothing until {@code until} (epoch ms),
   * and its message says the execution waits without using up a retry.
   */
  public static Attempt throttled(Attempt attempt, long until) {
    String message = attempt.getErrorMessage() == null ? "" : attempt.getErrorMessage() + "; ";
    attempt.setThrottledUntil(until);
    attempt.setErrorMessage(message + "throttled: the receiver asked for a pause until " + Instant.ofEpochMilli(until)
        + ", the execution tries this attempt again then (no retry used up)");
    return attempt;
  }

  /** The scheduled retry after the attempt started at {@code attemptedAt} failed with {@code f}. */
  public static RetryRequest retry(Execution e, int nextAttempt, long dueAt, long attemptedAt, DeliveryOutcome.Failed f) {
    return RetryRequest.newBuilder()
        .setExecutionId(e.id())
        .setWebhookId(e.webhookId())
        .setAttempt(nextAttempt)
        .setDueAt(dueAt)
        .setTrigger(io.hookline.avro.Trigger.SCHEDULED)
        .setFirstAttemptAt(e.firstAttemptAt() == null ? attemptedAt : e.firstAttemptAt())
        .setLastAttemptAt(attemptedAt)
        .setLastHttpStatus(f.httpStatus())
        .setLastErrorCode(f.reason().name())
        .setLastErrorMessage(f.message())
        .setEvent(event(e.event()))
        .setOrderedOffset(e.orderedOffset())
        .build();
  }

  /**
   * The execution as a retry request for the same attempt, due at {@code dueAt}. A first attempt
   * has no attempt times yet; they are set to {@code now} and ignored when it comes back.
   */
  public static RetryRequest parked(Execution e, long dueAt, long now) {
    Execution.PreviousAttempt previous = e.previous();
    return RetryRequest.newBuilder()
        .setExecutionId(e.id())
        .setWebhookId(e.webhookId())
        .setAttempt(e.attempt())
        .setDueAt(dueAt)
        .setTrigger(trigger(e.trigger()))
        .setFirstAttemptAt(previous == null ? now : previous.firstAttemptAt())
        .setLastAttemptAt(previous == null ? now : previous.lastAttemptAt())
        .setLastHttpStatus(previous == null ? null : previous.lastHttpStatus())
        .setLastErrorCode(previous == null ? null : previous.lastErrorCode())
        .setLastErrorMessage(previous == null ? null : previous.lastErrorMessage())
        .setEvent(event(e.event()))
        .setOrderedOffset(e.orderedOffset())
        .build();
  }

  /** The execution that failed for good after {@code retries} retries, its last attempt at {@code lastAt}. */
  public static FailedExecution failed(Execution e, String url, int retries, FailureReason reason, String message,
      Integer httpStatus, long lastAt) {
    return failedExecution(e, url, FailedExecutionState.FAILED, retries, reason, message, httpStatus, lastAt);
  }

  /** A failed execution that a manual re-send delivered at {@code lastAt}: it leaves the failed list. */
  public static FailedExecution resolved(Execution e, String url, int retries, Integer httpStatus, long lastAt) {
    return failedExecution(e, url, FailedExecutionState.RESOLVED, retries, null, null, httpStatus, lastAt);
  }

  private static FailedExecution failedExecution(Execution e, String url, FailedExecutionState state, int retries,
      FailureReason reason, String message, Integer httpStatus, long lastAt) {
    return FailedExecution.newBuilder()
        .setExecutionId(e.id())
        .setWebhookId(e.webhookId())
        .setPortal(e.event().portal())
        .setUrl(url)
        .setState(state)
        .setNumberOfRetries(retries)
        .setLastHttpStatus(httpStatus)
        .setErrorCode(reason == null ? null : reason.name())
        .setErrorMessage(message)
        .setFirstExecutionTime(e.firstAttemptAt() == null ? lastAt : e.firstAttemptAt())
        .setLastExecutionTime(lastAt)
        .setEvent(event(e.event()))
        .build();
  }

  /** The contract's event: every field as it was read. */
  public static io.hookline.avro.Event event(Event e) {
    return new io.hookline.avro.Event(e.id(), e.portal(), e.appId(), e.name(), e.entity(), e.entityId(),
        e.entityLabel(), e.eventTime(), e.payload());
  }

  public static io.hookline.avro.Trigger trigger(Trigger t) {
    return switch (t) {
      case INITIAL -> io.hookline.avro.Trigger.INITIAL;
      case SCHEDULED -> io.hookline.avro.Trigger.SCHEDULED;
      case MANUAL -> io.hookline.avro.Trigger.MANUAL;
    };
  }

  public static io.hookline.avro.AttemptStatus status(AttemptStatus s) {
    return switch (s) {
      case SENT -> io.hookline.avro.AttemptStatus.SENT;
      case ERROR -> io.hookline.avro.AttemptStatus.ERROR;
      case TIMEOUT -> io.hookline.avro.AttemptStatus.TIMEOUT;
    };
  }
}
