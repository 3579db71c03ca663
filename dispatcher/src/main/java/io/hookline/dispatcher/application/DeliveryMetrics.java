package io.hookline.dispatcher.application;

import io.hookline.dispatcher.domain.DeliveryOutcome;
import io.hookline.dispatcher.domain.FailureReason;
import io.hookline.dispatcher.domain.Trigger;

/**
 * What the delivery engine counts as it works, for whoever watches it (a Micrometer adapter serves
 * them at {@code /metrics}). Called on the delivery path, so an implementation must be cheap and
 * never block; {@link #NONE} counts nothing (metrics off). Label values come from closed sets: an
 * outcome, a trigger, a reason; a webhook id only where the implementation was told the number of
 * webhooks is bounded.
 */
public interface DeliveryMetrics {

  /**
   * An attempt ended with {@code outcome}; {@code callNanos}: how long the HTTP call took, negative
   * when the endpoint was not called (no secret to sign with, breaker open).
   */
  void attempted(String webhookId, Trigger trigger, DeliveryOutcome outcome, long callNanos);

  /** An execution was written to the dead-letter topic, failed for good for {@code reason}. */
  void deadLettered(FailureReason reason);

  /** An execution was parked ({@code CIRCUIT_OPEN} or {@code QUEUE_FULL}). */
  void parked(String reason);

  /** An input record could not be used and went to the invalid-records topic, for {@code reason}. */
  void invalidRecord(String reason);

  /** A batch of input records was held this long at the subscription gate. */
  void gateHeld(long nanos);

  /**
   * Metrics of the same kind that count where nobody reads them: for work that must not show in
   * this instance's figures (the start-up warm-up), while running the same code as real work.
   */
  default DeliveryMetrics detached() {
    return NONE;
  }

  /** Counts nothing. */
  DeliveryMetrics NONE = new DeliveryMetrics() {
    @Override
    public void attempted(String webhookId, Trigger trigger, DeliveryOutcome outcome, long callNanos) {}

    @Override
    public void deadLettered(FailureReason reason) {}

    @Override
    public void parked(String reason) {}

    @Override
    public void invalidRecord(String reason) {}

    @Override
    public void gateHeld(long nanos) {}
  };
}
