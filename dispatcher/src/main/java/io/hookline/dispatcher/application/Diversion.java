package io.hookline.dispatcher.application;

/**
 * An execution taken out of its lane (or never let in) to be parked, and why; {@code dueAt}: the
 * epoch ms it comes back at, or {@link #AFTER_OPEN_DURATION} for one breaker open duration after
 * it is parked.
 */
record Diversion(DeliveryTask task, String reason, long dueAt) {

  static final long AFTER_OPEN_DURATION = -1;

  /** Back one breaker open duration after it is parked. */
  Diversion(DeliveryTask task, String reason) {
    this(task, reason, AFTER_OPEN_DURATION);
  }
}
