package io.hookline.dispatcher.application;

import java.time.Duration;

/**
 * Bounds of the delivery engine.
 *
 * @param maxInFlight requests in flight over all webhooks
 * @param maxInFlightPerWebhook requests in flight to one webhook
 * @param maxQueued executions admitted (queued or in flight) before input is paused
 * @param deliveryTimeout how long one request may take, connect included
 */
public record DeliveryLimits(int maxInFlight, int maxInFlightPerWebhook, int maxQueued, Duration deliveryTimeout) {

  public DeliveryLimits {
    if (maxInFlight < 1 || maxInFlightPerWebhook < 1 || maxQueued < 1) {
      throw new IllegalArgumentException("delivery limits must be >= 1: " + maxInFlight + ", " + maxInFlightPerWebhook + ", " + maxQueued);
    }
    if (deliveryTimeout.isNegative() || deliveryTimeout.isZero()) {
      throw new IllegalArgumentException("delivery timeout must be positive, was " + deliveryTimeout);
    }
  }
}
