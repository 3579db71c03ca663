package io.hookline.queryapi.attempts.domain;

import java.util.Objects;

/**
 * One delivery attempt of an execution and how it ended. Times are epoch milliseconds.
 *
 * @param httpStatus null when no HTTP answer came
 * @param deliveredAt null unless the receiver answered 2xx
 * @param responseExcerpt the start of the receiver's answer as the dispatcher kept it; null when none
 */
public record Attempt(String executionId, String webhookId, String portal, String eventId, String event, String url,
    int attempt, Trigger trigger, AttemptStatus status, Integer httpStatus, String errorCode, String errorMessage,
    long durationMs, long createdAt, Long deliveredAt, String responseExcerpt) {

  public Attempt {
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(status, "status");
  }
}
