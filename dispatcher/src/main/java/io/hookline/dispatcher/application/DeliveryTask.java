package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.Execution;

/**
 * An execution on its way through the engine, with the input record it holds open.
 *
 * @param body the event's JSON, shared by every execution of the event
 * @param parkable false once parked for this attempt, and for manual retries
 * @param probe sent as its breaker's half-open probe
 */
record DeliveryTask(Execution execution, byte[] body, PendingRecord record, boolean parkable, boolean probe) {

  DeliveryTask asProbe() {
    return new DeliveryTask(execution, body, record, parkable, true);
  }

  String webhookId() {
    return execution.webhookId();
  }
}
