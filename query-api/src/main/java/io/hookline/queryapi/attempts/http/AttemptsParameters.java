package io.hookline.queryapi.attempts.http;

import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.view.PageCursors;
import io.hookline.queryapi.view.PageStart;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the query parameters of {@code GET .../attempts} into an {@link AttemptQuery}. The names
 * are the ones users of the reference APIs know:
 *
 * <ul>
 *   <li>{@code status}: {@code SENT}, {@code ERROR}, {@code TIMEOUT}, repeatable
 *       ({@code status=ERROR&status=TIMEOUT}, as Sendbird) or comma-separated; any case.
 *   <li>{@code events}: event names, comma-separated (as on {@code /executions}) or repeated.
 *   <li>Start of the range: {@code from_time} (Zoho, GoTallo) or {@code start_date} (Sendbird);
 *       end: {@code to_time} (Zoho), {@code till_time} (GoTallo) or {@code end_date} (Sendbird);
 *       both inclusive. Each takes epoch milliseconds, an ISO 8601 date-time (with an offset, or
 *       without one meaning UTC) or a {@code YYYY-MM-DD} day in UTC: a start day means its first
 *       millisecond, an end day its last, so {@code start_date=2026-11-01&end_date=2026-11-01} is
 *       that whole day.
 *   <li>{@code order}: {@code -created_at} (newest first, the default) or {@code created_at}.
 *   <li>{@code limit}: 1 to 500, default 50; {@code offset}: entries to skip, default 0; or
 *       {@code cursor}, a previous page's {@code next_cursor}/{@code previous_cursor}, with the
 *       same filters and order as that page.
 * </ul>
 *
 * Every malformed, out-of-range, repeated single or conflicting value is refused with an
 * {@link InvalidFieldException} naming the parameter; unknown parameters are ignored.
 */
public final class AttemptsParameters {

  static final int MAX_LIMIT = 500;
  static final int DEFAULT_LIMIT = 50;

  private static final List<String> FROM_NAMES = List.of("from_time", "start_date");
  private static final List<String> TO_NAMES = List.of("to_time", "till_time", "end_date");
  private static final String TIME_FORMS = "epoch milliseconds, an ISO 8601 date-time"
      + " (e.g. 2026-11-01T08:00:00Z) or a YYYY-MM-DD day";

  private final Map<String, List<String>> parameters;

  private AttemptsParameters(Map<String, List<String>> parameters) {
    this.parameters = parameters;
  }

  /** The query of {@code parameters} (each name with its values in the order sent). */
  static AttemptQuery read(String webhookId, Map<String, List<String>> parameters, PageCursors cursors) {
    return new AttemptsParameters(parameters).query(webhookId, cursors);
  }

  private AttemptQuery query(String webhookId, PageCursors cursors) {
    String fromName = oneOf(FROM_NAMES);
    String toName = oneOf(TO_NAMES);
    long from = fromName == null ? 0 : time(fromName, single(fromName), false);
    long to = toName == null ? Long.MAX_VALUE : time(toName, single(toName), true);
    if (from > to) {
      throw new InvalidFieldException(fromName, "'" + fromName + "' must not be after '" + toName + "'");
    }
    Set<AttemptStatus> statuses = statuses();
    Set<String> events = list("events");
    boolean oldestFirst = order();
    int limit = number("limit", DEFAULT_LIMIT);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidFieldException("limit", "'limit' must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    int offset = number("offset", 0);
    if (offset < 0) {
      throw new InvalidFieldException("offset", "'offset' must be 0 or more, was " + offset);
    }
    String cursor = single(PageCursors.PARAMETER);
    if (cursor == null) {
      return new AttemptQuery(webhookId, from, to, statuses, events, oldestFirst, limit, PageStart.offset(offset));
    }
    if (single("offset") != null) {
      throw new InvalidFieldException(PageCursors.PARAMETER, "'cursor' and 'offset' cannot be used together");
    }
    PageStart start = cursors.decode(cursor,
        AttemptQuery.binding(webhookId, from, to, statuses, events, oldestFirst));
    return new AttemptQuery(webhookId, from, to, statuses, events, oldestFirst, limit, start);
  }

  /** The one name of {@code names} the request uses, or null; two of them at once are refused. */
  private String oneOf(List<String> names) {
    List<String> used = names.stream().filter(parameters::containsKey).toList();
    if (used.size() > 1) {
      throw new InvalidFieldException(used.get(1),
          "'" + used.get(1) + "' cannot be used together with '" + used.get(0) + "' (they name the same bound)");
    }
    return used.isEmpty() ? null : used.get(0);
  }

  /** The value of a parameter that may appear once, or null when absent. */
  private String single(String name) {
    List<String> values = parameters.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new InvalidFieldException(name, "'" + name + "' must be given once, was given " + values.size() + " times");
    }
    return values.get(0);
  }

  /** Every value of a repeatable, comma-separated parameter; empty when absent. */
  private Set<String> list(String name) {
    Set<String> names = new LinkedHashSet<>();
    for (String value : parameters.getOrDefault(name, List.of())) {
      for (String part : value.split(",", -1)) {
        String item = part.trim();
        if (item.isEmpty()) {
          throw new InvalidFieldException(name, "'" + name
              + "' must be a comma-separated list (or repeated parameter) without empty entries, was '" + value + "'");
        }
        names.add(item);
      }
    }
    return names;
  }

  private Set<AttemptStatus> statuses() {
    Set<AttemptStatus> statuses = EnumSet.noneOf(AttemptStatus.class);
    for (String value : list("status")) {
      try {
        statuses.add(AttemptStatus.valueOf(value.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new InvalidFieldException("status", "'status' must be one of "
            + Arrays.stream(AttemptStatus.values()).map(Enum::name).collect(Collectors.joining(", "))
            + ", was '" + value + "'");
      }
    }
    return statuses;
  }

  private boolean order() {
    String value = single("order");
    if (value == null || value.trim().equals("-created_at")) {
      return false;
    }
    if (value.trim().equals("created_at")) {
      return true;
    }
    throw new InvalidFieldException("order",
        "'order' must be 'created_at' (oldest first) or '-created_at' (newest first), was '" + value + "'");
  }

  private int number(String name, int absent) {
    String value = single(name);
    if (value == null) {
      return absent;
    }
    String text = value.trim();
    if (!text.matches("-?\\d{1,9}")) {
      throw new InvalidFieldException(name, "'" + name + "' must be a whole number, was '" + value + "'");
    }
    return Integer.parseInt(text);
  }

  /**
   * Epoch ms, an ISO 8601 date-time (no offset: UTC) or a day (UTC): its first millisecond, or its
   * last when {@code endOfDay}.
   */
  public static long time(String name, String value, boolean endOfDay) {
    String text = value == null ? "" : value.trim();
    try {
      if (text.matches("\\d{1,18}")) {
        return Long.parseLong(text);
      }
      if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
        LocalDate day = LocalDate.parse(text);
        LocalDate start = endOfDay ? day.plusDays(1) : day;
        return start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - (endOfDay ? 1 : 0);
      }
      try {
        return OffsetDateTime.parse(text).toInstant().toEpochMilli();
      } catch (DateTimeException withoutOffset) {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
      }
    } catch (DateTimeException | ArithmeticException e) {
      throw new InvalidFieldException(name, "'" + name + "' must be " + TIME_FORMS + ", was '" + value + "'");
    }
  }
}
