package io.hookline.queryapi.failedexecutions.http;

import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.view.PageCursors;
import io.hookline.queryapi.view.PageStart;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads the query parameters of {@code GET .../executions} into a {@link FailedExecutionQuery}.
 * Every malformed or out-of-range value is refused with an {@link InvalidFieldException} naming the
 * parameter, never silently clamped: a client asking for 500 rows learns that 50 is the maximum. A
 * {@code cursor} (from a previous page's {@code next_cursor} or {@code previous_cursor}) replaces
 * {@code pageno} and must come with the same filters as the page that gave it.
 */
public final class ExecutionsParameters {

  static final int MIN_LIMIT = 5;
  static final int MAX_LIMIT = 50;

  private ExecutionsParameters() {}

  /**
   * The {@code from_time}, {@code to_time} and {@code events} filter alone, parsed and checked as by
   * {@link #read} (for {@code POST .../executions/retry}); the paging fields are the defaults.
   */
  public static FailedExecutionQuery filter(String webhookId, String fromTime, String toTime, String events) {
    return read(webhookId, fromTime, toTime, events, null, null, null, null);
  }

  static FailedExecutionQuery read(String webhookId, String fromTime, String toTime, String events, String limit,
      String pageno, String cursor, PageCursors cursors) {
    long from = fromTime == null ? 0 : time("from_time", fromTime);
    long to = toTime == null ? Long.MAX_VALUE : time("to_time", toTime);
    if (from > to) {
      throw new InvalidFieldException("from_time", "'from_time' must not be after 'to_time'");
    }
    int pageSize = limit == null ? MAX_LIMIT : number("limit", limit);
    if (pageSize < MIN_LIMIT || pageSize > MAX_LIMIT) {
      throw new InvalidFieldException("limit",
          "'limit' must be between " + MIN_LIMIT + " and " + MAX_LIMIT + ", was " + pageSize);
    }
    int page = pageno == null ? 1 : number("pageno", pageno);
    if (page < 1) {
      throw new InvalidFieldException("pageno", "'pageno' must be 1 or more, was " + page);
    }
    Set<String> eventNames = events == null ? Set.of() : events(events);
    if (cursor == null) {
      return new FailedExecutionQuery(webhookId, from, to, eventNames, pageSize, page);
    }
    if (pageno != null) {
      throw new InvalidFieldException(PageCursors.PARAMETER, "'cursor' and 'pageno' cannot be used together");
    }
    PageStart start = cursors.decode(cursor, FailedExecutionQuery.binding(webhookId, from, to, eventNames));
    return new FailedExecutionQuery(webhookId, from, to, eventNames, pageSize, start);
  }

  /** Epoch milliseconds, or an ISO 8601 date-time with an offset ({@code 2019-08-26T17:51:45Z}). */
  private static long time(String name, String value) {
    String text = value.trim();
    if (text.matches("\\d{1,18}")) {
      return Long.parseLong(text);
    }
    try {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new InvalidFieldException(name, "'" + name + "' must be epoch milliseconds or an ISO 8601 date-time"
          + " with an offset (e.g. 2019-08-26T17:51:45Z), was '" + value + "'");
    }
  }

  private static int number(String name, String value) {
    String text = value.trim();
    if (!text.matches("-?\\d{1,9}")) {
      throw new InvalidFieldException(name, "'" + name + "' must be a whole number, was '" + value + "'");
    }
    return Integer.parseInt(text);
  }

  private static Set<String> events(String value) {
    Set<String> names = new LinkedHashSet<>();
    for (String part : value.split(",", -1)) {
      String name = part.trim();
      if (name.isEmpty()) {
        throw new InvalidFieldException("events",
            "'events' must be a comma-separated list of event names without empty entries, was '" + value + "'");
      }
      names.add(name);
    }
    return names;
  }
}
