package io.hookline.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The delays between attempts: {@code 60s,60s,60s} means three retries, each one minute after the
 * previous attempt failed. Each distinct delay has its own retry topic whose name carries the delay
 * as written ({@code hookline.retry.60s}), so that within a retry topic every record waits the same
 * time and due times only grow along a partition.
 */
public final class RetrySchedule {

  /** Three retries, one minute apart: what Hookline does unless told otherwise. */
  public static final String DEFAULT_DELAYS = "60s,60s,60s";

  private final List<Duration> delays;
  private final Map<Duration, String> labels;

  private RetrySchedule(List<Duration> delays, Map<Duration, String> labels) {
    this.delays = List.copyOf(delays);
    this.labels = labels;
  }

  /** The schedule of {@link #DEFAULT_DELAYS}. */
  public static RetrySchedule defaults() {
    return parse(DEFAULT_DELAYS);
  }

  /** Parses {@code 60s,60s,60s} or {@code 5s,5m,30m,2h}; an empty text means no retries. */
  public static RetrySchedule parse(String text) {
    List<Duration> delays = new ArrayList<>();
    Map<Duration, String> labels = new LinkedHashMap<>();
    if (text != null && !text.isBlank()) {
      for (String part : text.split(",")) {
        String token = part.trim().toLowerCase(java.util.Locale.ROOT);
        Duration d = DurationText.parse(token);
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("retry delay must be positive, was '" + part.trim() + "'");
        }
        delays.add(d);
        labels.putIfAbsent(d, token.matches("\\d+(ms|s|m|h|d)") ? token : DurationText.format(d));
      }
    }
    return new RetrySchedule(delays, Map.copyOf(labels));
  }

  public static RetrySchedule of(Duration... delays) {
    StringBuilder sb = new StringBuilder();
    for (Duration d : delays) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(DurationText.format(d));
    }
    return parse(sb.toString());
  }

  /** How many retries follow a failed first attempt. */
  public int maxRetries() {
    return delays.size();
  }

  public List<Duration> delays() {
    return delays;
  }

  /**
   * The delay before attempt {@code nextAttempt} (2 for the first retry), or empty when the
   * schedule is exhausted and the execution is a failed execution.
   */
  public Optional<Duration> delayBefore(int nextAttempt) {
    int index = nextAttempt - 2;
    if (index < 0 || index >= delays.size()) {
      return Optional.empty();
    }
    return Optional.of(delays.get(index));
  }

  /** The label a retry topic for this delay carries, e.g. {@code 60s}. */
  public String label(Duration delay) {
    String label = labels.get(delay);
    if (label == null) {
      throw new IllegalArgumentException(delay + " is not in the retry schedule " + this);
    }
    return label;
  }

  /** Distinct delays, in schedule order. */
  public List<Duration> distinctDelays() {
    return List.copyOf(new java.util.LinkedHashSet<>(delays));
  }

  @Override
  public String toString() {
    return String.join(",", delays.stream().map(labels::get).toList());
  }
}
