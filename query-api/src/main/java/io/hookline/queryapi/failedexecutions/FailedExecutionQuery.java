package io.hookline.queryapi.failedexecutions;

import io.hookline.queryapi.view.PageCursors;
import io.hookline.queryapi.view.PageStart;
import io.hookline.queryapi.view.WebhookPageQuery;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One page of a webhook's failed executions: those whose last execution time is in
 * {@code [fromTime, toTime]} (epoch ms, inclusive) and whose event is in {@code events} (all events
 * when empty), newest first, {@code limit} per page, starting at {@code start} (an offset, or a
 * cursor's position).
 */
public record FailedExecutionQuery(String webhookId, long fromTime, long toTime, Set<String> events, int limit,
    PageStart start) implements WebhookPageQuery {

  public FailedExecutionQuery {
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(start, "start");
    events = Set.copyOf(events);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
  }

  /** Page {@code pageno} (counted from 1) of {@code limit} entries. */
  public FailedExecutionQuery(String webhookId, long fromTime, long toTime, Set<String> events, int limit,
      int pageno) {
    this(webhookId, fromTime, toTime, events, limit, PageStart.offset(skipped(limit, pageno)));
  }

  private static long skipped(int limit, int pageno) {
    if (pageno < 1) {
      throw new IllegalArgumentException("pageno must be positive, was " + pageno);
    }
    return (long) (pageno - 1) * limit;
  }

  /**
   * What a cursor of this list is bound to: the webhook and the filters, not the page size or
   * start. A cursor given out for one query only opens the same query (see {@link PageCursors}).
   */
  public static String binding(String webhookId, long fromTime, long toTime, Set<String> events) {
    return "executions\n" + webhookId + "\n" + fromTime + "\n" + toTime + "\n" + String.join(",", new TreeSet<>(events));
  }

  public String binding() {
    return binding(webhookId, fromTime, toTime, events);
  }
}
