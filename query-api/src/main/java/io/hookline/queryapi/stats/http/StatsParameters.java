package io.hookline.queryapi.stats.http;

import io.hookline.queryapi.attempts.http.AttemptsParameters;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.stats.domain.StatsInterval;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads the query parameters of the statistics routes: {@code from_time} and {@code to_time} (both
 * inclusive, in the forms every list of the API takes: epoch ms, an ISO 8601 date-time or a
 * {@code YYYY-MM-DD} day in UTC; by default the last {@link #DEFAULT_RANGE} up to now) and, for a
 * series, {@code interval} ({@code 1m}, {@code 5m}, {@code 1h} or {@code 1d}, default {@code 1h}),
 * which may not give more than {@value #MAX_POINTS} points. A bad value is a 400 naming the parameter.
 */
final class StatsParameters {

  static final Duration DEFAULT_RANGE = Duration.ofHours(24);
  static final StatsInterval DEFAULT_INTERVAL = StatsInterval.HOUR;
  /** A week at one point a minute. */
  static final int MAX_POINTS = StatsInterval.MAX_POINTS;

  /** A range of times, epoch ms, {@code to} inclusive. */
  record Range(long from, long to) {

    long toExclusive() {
      return to == Long.MAX_VALUE ? to : to + 1;
    }
  }

  private StatsParameters() {}

  static Range range(Map<String, List<String>> parameters, long now) {
    String fromText = single(parameters, "from_time");
    String toText = single(parameters, "to_time");
    long to = toText == null ? now : AttemptsParameters.time("to_time", toText, true);
    long from = fromText == null ? to - DEFAULT_RANGE.toMillis() + 1
        : AttemptsParameters.time("from_time", fromText, false);
    if (from > to) {
      throw new InvalidFieldException("from_time", "'from_time' must not be after 'to_time'");
    }
    return new Range(from, to);
  }

  /** The series' step; refused when it would give more than {@value #MAX_POINTS} points over {@code range}. */
  static StatsInterval interval(Map<String, List<String>> parameters, Range range) {
    String text = single(parameters, "interval");
    StatsInterval interval = text == null ? DEFAULT_INTERVAL : StatsInterval.ofLabel(text.trim())
        .orElseThrow(() -> new InvalidFieldException("interval",
            "'interval' must be 1m, 5m, 1h or 1d, was '" + text + "'"));
    long points = interval.points(range.from(), range.toExclusive());
    if (points > MAX_POINTS || points < 0) {
      throw new InvalidFieldException("interval", "'interval' " + interval.label() + " gives more than " + MAX_POINTS
          + " points over this range ('from_time' to 'to_time'); choose a longer interval or a shorter range");
    }
    return interval;
  }

  private static String single(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new InvalidFieldException(name, "'" + name + "' must be given once, was given " + values.size() + " times");
    }
    return values.get(0);
  }
}
