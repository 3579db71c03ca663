package io.hookline.queryapi.console.http;

import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.queryapi.console.StatsRange;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.http.ExecutionsParameters;
import io.micronaut.http.HttpRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The webhook page's query parameters: the chart range ({@code range}), the failed executions'
 * filter as the API names it ({@code from_time}, {@code to_time}, {@code events}; a browser's
 * {@code datetime-local} value without an offset is read as UTC) and cursor ({@code cursor}), the
 * attempt log's statuses ({@code status}, repeatable) and cursor ({@code attempts_cursor}). Bad
 * values are a 400 naming the parameter, as in the API. Also writes them back into links, so
 * paging one list or changing the range keeps everything else.
 */
public record WebhookFilters(StatsRange range, String fromTime, String toTime, String events, String cursor,
    Set<AttemptStatus> statuses, String attemptsCursor) {

  static WebhookFilters read(HttpRequest<?> request) {
    var p = request.getParameters();
    String rangeLabel = blankToNull(p.get("range"));
    StatsRange range = rangeLabel == null ? StatsRange.DEFAULT : StatsRange.ofLabel(rangeLabel)
        .orElseThrow(() -> new InvalidFieldException("range", "'range' must be one of 1h, 6h, 24h, 7d, was '"
            + rangeLabel + "'"));
    Set<AttemptStatus> statuses = EnumSet.noneOf(AttemptStatus.class);
    for (String value : p.getAll("status")) {
      for (String part : value.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        try {
          statuses.add(AttemptStatus.valueOf(part.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new InvalidFieldException("status", "'status' must be SENT, ERROR or TIMEOUT, was '" + part + "'");
        }
      }
    }
    return new WebhookFilters(range, localToUtc(blankToNull(p.get("from_time"))),
        localToUtc(blankToNull(p.get("to_time"))), blankToNull(p.get("events")), blankToNull(p.get("cursor")),
        statuses, blankToNull(p.get("attempts_cursor")));
  }

  /** The failed executions' filter, checked exactly as {@code GET .../executions} checks it. */
  FailedExecutionQuery failedFilter(String webhookId) {
    return ExecutionsParameters.filter(webhookId, fromTime, toTime, events);
  }

  /** Whether a status is among those chosen. */
  public boolean shows(String status) {
    return statuses.contains(AttemptStatus.valueOf(status));
  }

  /** The query string of these filters with {@code changes} applied (a null value drops the key). */
  String query(Map<String, String> changes) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    put(params, "range", range == StatsRange.DEFAULT ? null : range.label());
    put(params, "from_time", fromTime);
    put(params, "to_time", toTime);
    put(params, "events", events);
    put(params, "cursor", cursor);
    if (!statuses.isEmpty()) {
      params.put("status", statuses.stream().map(Enum::name).toList());
    }
    put(params, "attempts_cursor", attemptsCursor);
    changes.forEach((k, v) -> put(params, k, v));
    List<String> pairs = new ArrayList<>();
    params.forEach((k, values) -> values.forEach(v -> pairs.add(k + "=" + ConsoleLinks.query(v))));
    return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
  }

  /** The failed executions' filter alone, as the replay confirmation takes it. */
  String failedFilterQuery() {
    Map<String, List<String>> params = new LinkedHashMap<>();
    put(params, "from_time", fromTime);
    put(params, "to_time", toTime);
    put(params, "events", events);
    return params.entrySet().stream().map(e -> e.getKey() + "=" + ConsoleLinks.query(e.getValue().get(0)))
        .collect(Collectors.joining("&", params.isEmpty() ? "" : "?", ""));
  }

  private static void put(Map<String, List<String>> params, String key, String value) {
    if (value == null) {
      params.remove(key);
    } else {
      params.put(key, List.of(value));
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** A {@code datetime-local} value ({@code 2026-12-07T07:30} or with seconds) as UTC; others unchanged. */
  static String localToUtc(String value) {
    if (value == null) {
      return null;
    }
    if (value.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}")) {
      return value + ":00Z";
    }
    if (value.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?")) {
      return value + "Z";
    }
    return value;
  }
}
