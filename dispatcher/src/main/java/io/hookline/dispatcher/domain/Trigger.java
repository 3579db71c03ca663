package io.hookline.dispatcher.domain;

/** What started an attempt. */
public enum Trigger {
  /** The event arrived: the first attempt. */
  INITIAL,
  /** A retry of the schedule came due. */
  SCHEDULED,
  /** A person asked to retry a failed execution now. */
  MANUAL
}
