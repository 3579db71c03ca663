package io.hookline.dispatcher.application;

import io.hookline.avro.Event;
import io.hookline.avro.RetryRequest;
import io.hookline.avro.Trigger;
import io.hookline.dispatcher.domain.ExecutionId;
import io.hookline.schemas.EventCodec;

/**
 * One attempt-to-be of one execution (an event for one webhook).
 *
 * @param attempt the number of this attempt, 1 for the first
 * @param firstAttemptAt epoch ms of the first attempt, null when this is the first
 * @param previous what the previous attempt came to, null when this is the first
 */
public record Execution(
    String id, String webhookId, Event event, byte[] body, int attempt, Trigger trigger,
    Long firstAttemptAt, RetryRequest previous) {

  /** The first attempt of {@code event} for {@code webhookId}; {@code body} is the event's JSON. */
  public static Execution first(Event event, byte[] body, String webhookId) {
    return new Execution(ExecutionId.of(event.getId(), webhookId), webhookId, event, body, 1, Trigger.INITIAL, null, null);
  }

  /**
   * The attempt a retry request asks for, with the execution's own id. A request for attempt 1 (a
   * first attempt that was parked) has had no attempt yet, so its first attempt is this one.
   */
  public static Execution redelivery(RetryRequest request) {
    Event event = request.getEvent();
    Long firstAttemptAt = request.getAttempt() > 1 ? request.getFirstAttemptAt() : null;
    return new Execution(request.getExecutionId(), request.getWebhookId(), event, EventCodec.toJson(event),
        request.getAttempt(), request.getTrigger(), firstAttemptAt, request);
  }
}
