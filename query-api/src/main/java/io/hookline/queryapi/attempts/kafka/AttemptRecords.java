package io.hookline.queryapi.attempts.kafka;

import io.hookline.queryapi.attempts.domain.Attempt;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.queryapi.attempts.domain.Trigger;
import java.util.LinkedHashMap;

/**
 * The attempt log's entries to and from their Avro records on {@code hookline.attempts}, the form
 * the store keeps and instances exchange. Every field maps one to one, so a round trip changes nothing.
 */
public final class AttemptRecords {

  private AttemptRecords() {}

  public static Attempt fromAvro(io.hookline.avro.Attempt a) {
    return new Attempt(a.getExecutionId(), a.getWebhookId(), a.getPortal(), a.getEventId(), a.getEvent(), a.getUrl(),
        a.getAttempt(), Trigger.valueOf(a.getTrigger().name()), AttemptStatus.valueOf(a.getStatus().name()),
        a.getHttpStatus(), a.getErrorCode(), a.getErrorMessage(), a.getDurationMs(), a.getCreatedAt(),
        a.getDeliveredAt(), a.getResponseExcerpt(), a.getRequestHeaders());
  }

  public static io.hookline.avro.Attempt toAvro(Attempt a) {
    return io.hookline.avro.Attempt.newBuilder()
        .setExecutionId(a.executionId())
        .setWebhookId(a.webhookId())
        .setPortal(a.portal())
        .setEventId(a.eventId())
        .setEvent(a.event())
        .setUrl(a.url())
        .setAttempt(a.attempt())
        .setTrigger(io.hookline.avro.Trigger.valueOf(a.trigger().name()))
        .setStatus(io.hookline.avro.AttemptStatus.valueOf(a.status().name()))
        .setHttpStatus(a.httpStatus())
        .setErrorCode(a.errorCode())
        .setErrorMessage(a.errorMessage())
        .setDurationMs(a.durationMs())
        .setCreatedAt(a.createdAt())
        .setDeliveredAt(a.deliveredAt())
        .setResponseExcerpt(a.responseExcerpt())
        .setRequestHeaders(a.requestHeaders().isEmpty() ? null : new LinkedHashMap<>(a.requestHeaders()))
        .build();
  }
}
