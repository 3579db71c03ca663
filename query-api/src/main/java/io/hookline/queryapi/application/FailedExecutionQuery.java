package io.hookline.queryapi.application;

import java.util.Objects;
import java.util.Set;

/**
 * One page of a webhook's failed executions: those whose last execution time is in
 * {@code [fromTime, toTime]} (epoch ms, inclusive) and whose event is in {@code events} (all events
 * when empty), newest first, {@code limit} per page, page {@code pageno} counted from 1.
 */
public record FailedExecutionQuery(String webhookId, long fromTime, long toTime, Set<String> events, int limit,
    int pageno) {

  public FailedExecutionQuery {
    Objects.requireNonNull(webhookId, "webhookId");
    events = Set.copyOf(events);
    if (limit < 1 || pageno < 1) {
      throw new IllegalArgumentException("limit and pageno must be positive, were " + limit + " and " + pageno);
    }
  }

  /** How many matching entries come before this page. */
  public long skipped() {
    return (long) (pageno - 1) * limit;
  }
}
