package io.hookline.dispatcher.adapter.in.kafka;

import io.hookline.avro.RetryRequest;
import io.hookline.dispatcher.domain.Event;
import io.hookline.dispatcher.domain.Execution;
import io.hookline.dispatcher.domain.Trigger;

/** The contract's input records (events and retry requests) as the domain's types. */
public final class InputRecords {

  private InputRecords() {}

  public static Event event(io.hookline.avro.Event e) {
    return new Event(e.getId(), e.getPortal(), e.getAppId(), e.getEvent(), e.getEntity(), e.getEntityId(),
        e.getEntityLabel(), e.getEventTime(), e.getPayload());
  }

  /** The attempt a retry request asks for. */
  public static Execution execution(RetryRequest r) {
    Execution.PreviousAttempt previous = new Execution.PreviousAttempt(r.getFirstAttemptAt(), r.getLastAttemptAt(),
        r.getLastHttpStatus(), r.getLastErrorCode(), r.getLastErrorMessage());
    Execution e = Execution.requested(r.getExecutionId(), r.getWebhookId(), event(r.getEvent()), r.getAttempt(),
        trigger(r.getTrigger()), previous);
    return r.getOrderedOffset() == null ? e : e.ordered(r.getOrderedOffset());
  }

  public static Trigger trigger(io.hookline.avro.Trigger t) {
    return switch (t) {
      case INITIAL -> Trigger.INITIAL;
      case SCHEDULED -> Trigger.SCHEDULED;
      case MANUAL -> Trigger.MANUAL;
    };
  }
}
