package io.hookline.queryapi.failedexecutions.domain;

import java.util.Objects;

/**
 * An execution that failed every attempt and is not resolved yet: where it went, how often it was
 * retried, how its last attempt ended and the event it carried. Times are epoch milliseconds.
 *
 * @param lastHttpStatus null when the last attempt got no HTTP answer (a timeout or connection error)
 * @param errorCode null when the last failure has no code
 */
public record FailedExecution(String executionId, String webhookId, String portal, String url, int numberOfRetries,
    Integer lastHttpStatus, String errorCode, String errorMessage, long firstExecutionTime, long lastExecutionTime,
    Event event) {

  public FailedExecution {
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(event, "event");
  }

  /** When the notification was created: its event's time, else its first execution. */
  public long creationTime() {
    return event.eventTime() != null ? event.eventTime() : firstExecutionTime;
  }

  /** How many attempts it has made: the first one and every retry. */
  public int attempts() {
    return numberOfRetries + 1;
  }
}
