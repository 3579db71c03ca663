package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.Execution;

/**
 * An execution on its way through the engine, with the input record it holds open.
 *
 * @param body the event's JSON, shared by every execution of the event
 * @param parkable false once parked for this attempt, and for manual retries
 * @param probe sent as its breaker's half-open probe
 * @param startAt epoch ms its webhook's rate limit counted its start at, which its request is
 *     signed with (so {@code webhook-timestamp} names the second it was counted in); 0 when unlimited
 */
record DeliveryTask(Execution execution, byte[] body, PendingRecord record, boolean parkable, boolean probe,
    long startAt) {

  DeliveryTask(Execution execution, byte[] body, PendingRecord record, boolean parkable, boolean probe) {
    this(execution, body, record, parkable, probe, 0);
  }

  DeliveryTask asProbe() {
    return new DeliveryTask(execution, body, record, parkable, true, startAt);
  }

  /** This task, its start counted by its webhook's rate limit at {@code at}. */
  DeliveryTask startingAt(long at) {
    return new DeliveryTask(execution, body, record, parkable, probe, at);
  }

  String webhookId() {
    return execution.webhookId();
  }
}
