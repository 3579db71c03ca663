package io.hookline.dispatcher.domain;

import io.hookline.schemas.NameBasedUuid;

/**
 * The identity of an execution: one event delivered to one webhook. Derived from the event id and
 * the webhook id only, so every attempt of an execution, and any reprocessing of the same input
 * record after a crash, sends the same {@code webhook-id} header and receivers can de-duplicate.
 */
public final class ExecutionId {

  private ExecutionId() {}

  public static String of(String eventId, String webhookId) {
    return NameBasedUuid.of(eventId + "/" + webhookId).toString();
  }
}
