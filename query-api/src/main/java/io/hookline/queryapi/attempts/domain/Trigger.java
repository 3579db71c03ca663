package io.hookline.queryapi.attempts.domain;

/** What started an attempt: the event itself, the retry schedule, or a person (retry now, bulk replay). */
public enum Trigger {
  INITIAL,
  SCHEDULED,
  MANUAL
}
