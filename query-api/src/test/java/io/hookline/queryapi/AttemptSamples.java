package io.hookline.queryapi;

import io.hookline.avro.Attempt;
import io.hookline.avro.Trigger;
import io.hookline.queryapi.attempts.domain.AttemptStatus;

/** Attempts for tests, as the dispatcher writes them to the attempts topic. */
public final class AttemptSamples {

  public static final String EVENT = "conversation.created";

  private AttemptSamples() {}

  /**
   * Attempt {@code attempt} of {@code executionId} on {@code webhookId}, started at {@code createdAt}:
   * SENT answers 200 and is delivered 42 ms later, ERROR answers 500, TIMEOUT has no HTTP answer.
   */
  public static Attempt attempt(String portal, String webhookId, String executionId, int attempt,
      AttemptStatus status, String event, long createdAt) {
    Attempt.Builder b = Attempt.newBuilder()
        .setExecutionId(executionId)
        .setWebhookId(webhookId)
        .setPortal(portal)
        .setEventId("ev-" + executionId)
        .setEvent(event)
        .setUrl("https://example.com/hook")
        .setAttempt(attempt)
        .setTrigger(attempt == 1 ? Trigger.INITIAL : Trigger.SCHEDULED)
        .setStatus(io.hookline.avro.AttemptStatus.valueOf(status.name()))
        .setDurationMs(42)
        .setCreatedAt(createdAt);
    switch (status) {
      case SENT -> b.setHttpStatus(200).setDeliveredAt(createdAt + 42).setResponseExcerpt("{\"ok\":true}");
      case ERROR -> b.setHttpStatus(500).setErrorCode("HTTP_ERROR").setErrorMessage("HTTP 500")
          .setResponseExcerpt("boom");
      case TIMEOUT -> b.setErrorCode("TIMEOUT").setErrorMessage("No response within 10s").setDurationMs(10_000);
    }
    return b.build();
  }

  public static Attempt attempt(String portal, String webhookId, String executionId, AttemptStatus status,
      long createdAt) {
    return attempt(portal, webhookId, executionId, 1, status, EVENT, createdAt);
  }
}
