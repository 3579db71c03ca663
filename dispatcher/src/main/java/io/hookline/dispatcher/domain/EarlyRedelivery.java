package io.hookline.dispatcher.domain;

import java.time.Duration;

/**
 * When a redelivery that arrives before its due time is attempted. The retry-scheduler hands a
 * retry over a little before it is due (its release lead), so that its transaction and this
 * service's read are done by then; the attempt itself waits for the due time. The wait is bounded:
 * a record due further ahead than {@link #MAX_HOLD} (a scheduler with a longer lead, or clocks far
 * apart) is held that long at most, so an early record never stays in memory for long.
 */
public final class EarlyRedelivery {

  /** The longest an early redelivery is held. */
  public static final Duration MAX_HOLD = Duration.ofSeconds(5);

  private EarlyRedelivery() {}

  /** How long to hold a redelivery due at {@code dueAt} at {@code now} (epoch ms): 0 when it is due. */
  public static long holdMillis(long dueAt, long now) {
    if (dueAt <= now) {
      return 0;
    }
    return Math.min(dueAt - now, MAX_HOLD.toMillis());
  }
}
