package io.hookline.retryscheduler.domain;

/**
 * A record read from a retry partition, as far as its scheduling goes: when it is due, or that it
 * cannot be scheduled (it is not a retry request) and so is due as soon as it is the head of its
 * partition.
 */
public interface ScheduledRetry {

  /** The due time in epoch ms, or {@link PendingRetries#DUE_AT_ONCE} when it cannot be scheduled. */
  long dueAt();

  /** False for a record that carries no due time; it is released at once, and not as a retry. */
  boolean schedulable();
}
