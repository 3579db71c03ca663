package io.hookline.retryscheduler.domain;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * How long before its due time a retry is handed to the dispatcher. The hand-off (a transaction on
 * the redeliveries topic, then the dispatcher's read) takes time, more so when many retries come due
 * at once; handing a record over early and letting the dispatcher hold it until its due time keeps
 * that time off the attempt's lateness. Zero hands every record over at its due time.
 *
 * <p>Plain Java; times are epoch milliseconds.
 *
 * @param millis the lead, at least 0
 */
public record ReleaseLead(long millis) {

  public static final ReleaseLead NONE = new ReleaseLead(0);

  public ReleaseLead {
    if (millis < 0) {
      throw new IllegalArgumentException("the release lead must not be negative, was " + millis + " ms");
    }
  }

  public static ReleaseLead of(Duration lead) {
    return new ReleaseLead(lead.toMillis());
  }

  /** Records due at or before this time are handed over at {@code now}. */
  public long horizon(long now) {
    return now + millis;
  }

  /** When a record due at {@code dueAt} is handed over; a record due at once stays due at once. */
  public long handOffAt(long dueAt) {
    return dueAt == PendingRetries.DUE_AT_ONCE ? dueAt : dueAt - millis;
  }

  /** {@link #handOffAt(long)} of a due time that may be absent. */
  public OptionalLong handOffAt(OptionalLong dueAt) {
    return dueAt.isEmpty() ? dueAt : OptionalLong.of(handOffAt(dueAt.getAsLong()));
  }
}
