package io.hookline.dispatcher.adapter.out.kafka;

import io.hookline.dispatcher.domain.OperationalEvent;

/** The dispatcher's operational events as the contract's Avro {@code OperationalEvent}. */
public final class OperationalRecords {

  private OperationalRecords() {}

  public static io.hookline.avro.OperationalEvent toAvro(OperationalEvent e) {
    return io.hookline.avro.OperationalEvent.newBuilder()
        .setId(e.id())
        .setType(e.type().wireName())
        .setWebhookId(e.webhookId())
        .setPortal(e.portal())
        .setUrl(e.url())
        .setOccurredAt(e.occurredAt())
        .setReason(e.reason())
        .setFailedExecutionId(e.failedExecutionId())
        .setHttpStatus(e.httpStatus())
        .setErrorCode(e.errorCode())
        .setConsecutiveFailures(e.consecutiveFailures())
        .setFailingSince(e.failingSince())
        .setNumberOfRetries(e.numberOfRetries())
        .setEnabled(e.enabled())
        .build();
  }
}
