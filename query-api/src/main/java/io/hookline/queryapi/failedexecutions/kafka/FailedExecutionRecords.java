package io.hookline.queryapi.failedexecutions.kafka;

import io.hookline.avro.FailedExecutionState;
import io.hookline.queryapi.failedexecutions.domain.Event;
import io.hookline.queryapi.failedexecutions.domain.FailedExecution;

/**
 * Failed executions to and from their Avro records on {@code hookline.dead-letter}, the form the
 * store keeps and instances exchange, and their events to the Avro event a re-send carries. The
 * view holds unresolved executions only, so a record made from one is {@code FAILED}; every
 * other field maps one to one.
 */
public final class FailedExecutionRecords {

  private FailedExecutionRecords() {}

  public static FailedExecution fromAvro(io.hookline.avro.FailedExecution f) {
    io.hookline.avro.Event e = f.getEvent();
    Event event = new Event(e.getId(), e.getPortal(), e.getAppId(), e.getEvent(), e.getEntity(), e.getEntityId(),
        e.getEntityLabel(), e.getEventTime(), e.getPayload());
    return new FailedExecution(f.getExecutionId(), f.getWebhookId(), f.getPortal(), f.getUrl(), f.getNumberOfRetries(),
        f.getLastHttpStatus(), f.getErrorCode(), f.getErrorMessage(), f.getFirstExecutionTime(),
        f.getLastExecutionTime(), event);
  }

  public static io.hookline.avro.FailedExecution toAvro(FailedExecution f) {
    return io.hookline.avro.FailedExecution.newBuilder()
        .setExecutionId(f.executionId())
        .setWebhookId(f.webhookId())
        .setPortal(f.portal())
        .setUrl(f.url())
        .setState(FailedExecutionState.FAILED)
        .setNumberOfRetries(f.numberOfRetries())
        .setLastHttpStatus(f.lastHttpStatus())
        .setErrorCode(f.errorCode())
        .setErrorMessage(f.errorMessage())
        .setFirstExecutionTime(f.firstExecutionTime())
        .setLastExecutionTime(f.lastExecutionTime())
        .setEvent(toAvro(f.event()))
        .build();
  }

  public static io.hookline.avro.Event toAvro(Event e) {
    return io.hookline.avro.Event.newBuilder()
        .setId(e.id())
        .setPortal(e.portal())
        .setAppId(e.appId())
        .setEvent(e.name())
        .setEntity(e.entity())
        .setEntityId(e.entityId())
        .setEntityLabel(e.entityLabel())
        .setEventTime(e.eventTime())
        .setPayload(e.payload())
        .build();
  }
}
